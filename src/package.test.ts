/** package.json: what `npm ci --omit=dev` installs is enough to run the conformance CLI. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface PackageJson {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as PackageJson;

describe('package.json', () => {
  it('the packages `npm run conformance` loads (node --import X) are runtime dependencies, not dev ones', () => {
    const script = pkg.scripts.conformance ?? '';
    const loaded = [...script.matchAll(/--import\s+(\S+)/g)].map((m) => m[1] as string);
    expect(loaded).toContain('tsx');
    for (const name of loaded) {
      expect(pkg.dependencies, name).toHaveProperty(name);
      expect(pkg.devDependencies, name).not.toHaveProperty(name);
    }
  });
});
