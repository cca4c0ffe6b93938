// The import graph between the folders of src/, read from the source: the data behind the
// `parley/no-folder-cycles` lint rule (and `node eslint/folder-graph.mjs`, which prints it).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const IMPORT = /(?:^|\n)\s*(?:import|export)[^'"`;]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function* tsFiles(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* tsFiles(path);
    else if (name.endsWith('.ts')) yield path;
  }
}

/** The top folder of src/ a path belongs to, or null for files directly in src/ or outside it. */
export function folderOf(srcDir, path) {
  const rel = relative(srcDir, path);
  if (rel.startsWith('..')) return null;
  const parts = rel.split(sep);
  return parts.length > 1 ? parts[0] : null;
}

/** folder -> Map(imported folder -> first file:line that imports it). */
export function folderGraph(srcDir) {
  const graph = new Map();
  for (const file of tsFiles(srcDir)) {
    const from = folderOf(srcDir, file);
    if (!from) continue;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(IMPORT)) {
      const to = folderOf(srcDir, resolve(dirname(file), m[1] ?? m[2]));
      if (!to || to === from) continue;
      if (!graph.has(from)) graph.set(from, new Map());
      const edges = graph.get(from);
      if (!edges.has(to)) edges.set(to, `${relative(srcDir, file)}:${text.slice(0, m.index).split('\n').length}`);
    }
  }
  return graph;
}

/** A path of folders from `start` to `goal` following imports, or null. */
export function pathBetween(graph, start, goal) {
  const seen = new Set([start]);
  const queue = [[start]];
  while (queue.length) {
    const path = queue.shift();
    for (const next of graph.get(path[path.length - 1])?.keys() ?? []) {
      if (next === goal) return [...path, next];
      if (!seen.has(next)) {
        seen.add(next);
        queue.push([...path, next]);
      }
    }
  }
  return null;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const graph = folderGraph(resolve('src'));
  for (const [from, edges] of [...graph].sort()) console.log(`${from} -> ${[...edges.keys()].sort().join(', ')}`);
}
