import { payloadTooLarge } from './deliver-webhook';
import { MAX_PAYLOAD_BYTES } from './webhook-sender';

describe('payload size limit', () => {
  it('lets a body of exactly the limit through and refuses one byte more (counted in UTF-8 bytes)', () => {
    expect(payloadTooLarge('x'.repeat(MAX_PAYLOAD_BYTES))).toBeUndefined();
    expect(payloadTooLarge('x'.repeat(MAX_PAYLOAD_BYTES + 1))).toBe(`payload of ${MAX_PAYLOAD_BYTES + 1} bytes exceeds the ${MAX_PAYLOAD_BYTES}-byte limit`);
    expect(payloadTooLarge('é'.repeat(MAX_PAYLOAD_BYTES / 2 + 1))).toMatch(/exceeds/);
  });
});
