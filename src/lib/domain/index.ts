export * from './enums';
export * from './geo';
export * from './ids';
export * from './records';
export * from './scope';
export * from './permissions';
export * from './serviceLevels';
export * from './caseMachine';
