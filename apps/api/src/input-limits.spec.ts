import 'reflect-metadata';
import { MODULE_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { getMetadataStorage } from 'class-validator';
import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';
// class-transformer's @Type registry: how a nested property's class is found (the package has no typings for this path).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as { defaultMetadataStorage: MetadataStorage };
import { ApiModule } from './app.module';
import { ApiConfig } from './config';

type Class = new (...args: unknown[]) => unknown;

/** Every class a request body or query of the api is read into, nested ones included (found from the controllers, so new routes are checked too). */
function inputClasses(): Class[] {
  const root = ApiModule.forRoot(new ApiConfig());
  const modules = [root, ...(root.imports ?? [])] as unknown[];
  const controllers = new Set<Class>(root.controllers as Class[]);
  for (const m of modules) for (const c of (Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, m as object) ?? []) as Class[]) controllers.add(c);
  const found = new Set<Class>();
  const visit = (cls: Class | undefined) => {
    if (!cls || found.has(cls) || [String, Number, Object, Array, Boolean].includes(cls as never)) return;
    found.add(cls);
    for (const m of getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false))
      visit(defaultMetadataStorage.findTypeMetadata(cls, m.propertyName)?.typeFunction() as Class | undefined);
  };
  for (const c of controllers) {
    for (const method of Object.getOwnPropertyNames(c.prototype)) {
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, c, method) ?? {}) as Record<string, { index: number }>;
      const types = (Reflect.getMetadata('design:paramtypes', c.prototype, method) ?? []) as Class[];
      for (const [key, { index }] of Object.entries(args))
        if ([RouteParamtypes.BODY, RouteParamtypes.QUERY].includes(Number(key.split(':')[0]))) visit(types[index]);
    }
  }
  return [...found];
}

const BOUNDED_TEXT = ['maxLength', 'isLength', 'matches', 'isIn', 'isUuid', 'isCurrencyCode', 'isTimestamp'];

describe('every input field of the api has a bound', () => {
  const classes = inputClasses();

  it('finds the DTOs from the controllers, nested ones included', () => {
    const names = classes.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['RegisterOrderDto', 'OrderLineDto', 'CustomerDto', 'CreateTenantDto', 'StoreConnectionDto', 'TenantPolicy', 'LateGoodwill', 'SupplierPolicy', 'CaseListQuery', 'BatchRunDto', 'CaseFilterDto', 'SupplierAnswerDto', 'DeliveriesQuery']));
  });

  it.each(inputClasses().map((c) => [c.name, c] as const))('%s: text has a maximum length, numbers a maximum, arrays a maximum size', (_name, cls) => {
    const byProperty = new Map<string, string[]>();
    for (const m of getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false)) byProperty.set(m.propertyName, [...(byProperty.get(m.propertyName) ?? []), m.name ?? m.type]);
    const unbounded: string[] = [];
    for (const [prop, rules] of byProperty) {
      const has = (...r: string[]) => r.some((x) => rules.includes(x));
      if (has('isString', 'isUrl', 'isEmail', 'isIso8601') && !has(...BOUNDED_TEXT)) unbounded.push(`${prop}: text without a maximum length`);
      if (has('isInt', 'isNumber') && !has('max')) unbounded.push(`${prop}: number without a maximum`);
      if (has('isArray') && !has('arrayMaxSize') && !(has('arrayUnique') && has('isIn'))) unbounded.push(`${prop}: array without a maximum size`);
    }
    expect(unbounded).toEqual([]);
  });
});
