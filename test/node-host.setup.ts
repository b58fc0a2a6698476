/**
 * Tests run in Node and many call validateSpec(spec) without a host, as Node programs may: importing Node's
 * entry registers nodeHost as the default (packages/core/src/host/default.ts), as @ganforge/core's index does.
 */
import '../packages/core/src/node/index.js';
