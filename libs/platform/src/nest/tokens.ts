export const LOGGER = Symbol('LOGGER');
export const SERVICE_NAME = Symbol('SERVICE_NAME');
export const PLATFORM_CONFIG = Symbol('PLATFORM_CONFIG');
