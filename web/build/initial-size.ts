import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/**
 * Prints the gzipped size of the JavaScript a browser loads before the app can start (the entry chunk and
 * everything it imports statically) and fails the build above the limit.
 */
export function initialScriptSize({ limitBytes }: { limitBytes: number }): Plugin {
  return {
    name: 'parley-initial-script-size',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = new Map(Object.values(bundle).flatMap((o) => (o.type === 'chunk' ? [[o.fileName, o] as const] : [])));
      const initial = new Set<string>();
      const visit = (name: string) => {
        if (initial.has(name)) return;
        initial.add(name);
        for (const dep of chunks.get(name)?.imports ?? []) visit(dep);
      };
      for (const chunk of chunks.values()) if (chunk.isEntry) visit(chunk.fileName);
      const gzipped = [...initial].reduce((sum, name) => sum + gzipSync(chunks.get(name)!.code).length, 0);
      const kb = (gzipped / 1024).toFixed(1);
      console.log(`\ninitial JavaScript: ${kb} kB gzipped (${initial.size} chunk${initial.size === 1 ? '' : 's'}, limit ${limitBytes / 1024} kB)`);
      if (gzipped > limitBytes) this.error(`initial JavaScript is ${kb} kB gzipped, over the ${limitBytes / 1024} kB limit`);
    },
  };
}
