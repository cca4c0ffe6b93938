// Lint rule: a folder of src/ may not import a folder that imports it back, directly or through others.
// Folders are the modules of Parley (one per domain, plus the platform pieces and the HTTP layer); a cycle
// between them means two domains can no longer be understood, tested or changed apart.
import { dirname, resolve } from 'node:path';
import { folderGraph, folderOf, pathBetween } from './folder-graph.mjs';

let cached;
/** The graph is read once per lint run (ESLint runs a rule per file). */
function graphFor(srcDir) {
  if (!cached || cached.srcDir !== srcDir) cached = { srcDir, graph: folderGraph(srcDir) };
  return cached.graph;
}

export const noFolderCycles = {
  meta: {
    type: 'problem',
    docs: { description: 'forbid imports between folders of src/ that import each other back' },
    schema: [],
    messages: { cycle: '{{from}} imports {{to}}, which imports {{from}} back: {{path}}' },
  },
  create(context) {
    const srcDir = resolve(context.cwd, 'src');
    const from = folderOf(srcDir, context.filename);
    if (!from) return {};
    const check = (node, spec) => {
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const to = folderOf(srcDir, resolve(dirname(context.filename), spec));
      if (!to || to === from) return;
      const back = pathBetween(graphFor(srcDir), to, from);
      if (back) context.report({ node, messageId: 'cycle', data: { from, to, path: [from, ...back].join(' -> ') } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
    };
  },
};
