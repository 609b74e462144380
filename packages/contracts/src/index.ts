export * from './assets';
export * from './common';
export * from './customers';
export * from './errors';
export * from './identity';
export * from './permissions';
export * from './tickets';
export * from './validators';
