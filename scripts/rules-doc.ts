/** `npm run rules`: regenerates RULES.md from the catalogues. */
import { writeFileSync } from 'node:fs';
import { apis } from '../src/apis';
import { renderRulesDoc } from '../src/apis/rules-doc';
import type { ApiModule } from '../src/shared/api';

writeFileSync('RULES.md', renderRulesDoc(Object.values(apis).filter((m): m is ApiModule => m !== undefined)));
console.log('wrote RULES.md');
