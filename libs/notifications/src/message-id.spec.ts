import { messageIdFor, senderDomain } from './message-id';

describe('Message-ID of a customer e-mail', () => {
  it('is the notification id at a domain: the same for every send of one notification', () => {
    const id = '0b6a6f0e-8d0c-5b86-9a51-1f0b4a1a3c11';
    expect(messageIdFor(id, 'acme.test')).toBe(`<${id}@acme.test>`);
    expect(messageIdFor(id, 'acme.test')).toBe(messageIdFor(id, 'acme.test'));
    expect(messageIdFor('a8b0c7c2-0000-5000-8000-000000000001', 'acme.test')).not.toBe(messageIdFor(id, 'acme.test'));
  });

  it('takes the domain from the sender address', () => {
    expect(senderDomain('Acme <care@Acme.test>')).toBe('acme.test');
    expect(senderDomain('care@shop.example.com')).toBe('shop.example.com');
    expect(senderDomain('no address')).toBeUndefined();
  });
});
