// A JSON import, not a file read: the bundlers inline it, so the version is known on every platform.
import pkg from '../package.json' with { type: 'json' };

/** The running @ganforge/core version, checked against each plugin's meta.core range. */
export const CORE_VERSION: string = pkg.version;
