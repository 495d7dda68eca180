/** `npm run check:html`: a failing run's HTML report, opened in headless Chromium, clicked through and photographed. */
import { checkHtmlReport, failingReport } from '../src/reporters/html-check';

const dir = 'reports/html-check';
const { report, html } = await failingReport(dir);
const rules = report.apis.reduce((n, a) => n + a.results.length, 0);
const check = await checkHtmlReport(html, 'reports/conformance.png', rules);
console.log(
  `${html}: "${check.title}", ${check.rows} rule rows; followed ${check.followed} from the matrix to its section; nothing fetched`,
);
console.log(`screenshots: ${check.screenshots.join(', ')}`);
