import { ganforgePackage } from '../../tsup.preset.js';

export default ganforgePackage();
