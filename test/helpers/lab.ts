// Shortcut for tests elsewhere: the fault lab's public API (see test/lab/README.md).
export * from '../lab/index.js';
