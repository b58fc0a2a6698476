/**
 * Transitional: the platform-free backend choice is engine/choose-backend.ts, Node's backends are
 * node/backend.ts. Code that has a Host calls `(host.backends ?? portableBackends).select(...)`; this path
 * keeps the old imports working until they switch (it pulls in Node: nothing platform-free may import it).
 */
export type { BackendName, BackendRequest, BackendSelection, SelectBackendOptions } from './choose-backend.js';
export { selectBackend } from '../node/index.js';
