import type { AppModel } from '../../sim/apps/index.js';
import { readYamlNode } from '../io/readYamlNode.js';
import { parseApps } from '../scenario/parseApps.js';

/**
 * `serve --apps FILE`: app models as a scenario's `apps:` writes them — the list itself, or a
 * mapping with an `apps:` list (so a scenario's block can be copied as it is). Problems are
 * InputErrors at the file's line:col.
 */
export function loadAppsFile(file: string): AppModel[] {
  const root = readYamlNode(file, '--apps', 'app models');
  if (Array.isArray(root.value)) return parseApps(root);
  if (root.value === null || typeof root.value !== 'object')
    throw root.error('expected a list of app models, or a mapping with an apps: list');
  root.only(['apps']);
  return parseApps(root.req('apps'));
}
