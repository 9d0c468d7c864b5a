export * from './enums';
export * from './geo';
export * from './ids';
export * from './records';
export * from './scope';
