import path from 'node:path';
import { readRequired } from '../../sim/manifests/FileSystem.js';
import { ManifestNode } from '../../sim/manifests/ManifestNode.js';
import { onlyDocument, parseYamlFile } from '../../sim/manifests/YamlSource.js';
import { NodeFileSystem } from './NodeFileSystem.js';

/**
 * The one YAML document of a user's file (`serve --apps`, `fault set -f`) as a node the
 * scenario's parsers read, so every problem is reported at the file's line:col. `flag` names the
 * option in the message when the file cannot be read.
 */
export function readYamlNode(file: string, flag: string, subject: string): ManifestNode {
  const abs = path.resolve(file);
  const fs = new NodeFileSystem(path.dirname(abs));
  const name = path.basename(abs);
  const text = readRequired(fs, name, undefined, flag);
  const doc = onlyDocument(
    parseYamlFile(fs.display(name), text),
    fs.display(name),
    subject.endsWith('s') ? subject : `a ${subject}`,
  );
  return new ManifestNode(doc, [], doc.doc.toJS(), subject);
}
