// Runs axe-core (WCAG 2.1 A/AA and best practice) on local HTML files in headless Chromium and
// prints one JSON line per file: {"file": …, "violations": [{id, impact, nodes}]}.
// Usage: NODE_PATH=<folder with axe-core and puppeteer-core> node axe.js CHROMIUM FILE...
// With SHOT=DIR, also writes DIR/<name>-600.png and DIR/<name>-1200.png.
const path = require('path');
const puppeteer = require('puppeteer-core');
const axeSource = require('fs').readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

(async () => {
  const [chromium, ...files] = process.argv.slice(2);
  const browser = await puppeteer.launch({
    executablePath: chromium,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  try {
    for (const file of files) {
      const open = async (width) => {
        const page = await browser.newPage();
        await page.setViewport({ width, height: 900 });
        await page.goto('file://' + path.resolve(file), { waitUntil: 'load' });
        return page;
      };
      const page = await open(1200);
      await page.evaluate(axeSource);
      const result = await page.evaluate(() =>
        axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }));
      const violations = result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')),
      }));
      console.log(JSON.stringify({ file, violations }));
      await page.close();
      if (process.env.SHOT) {
        const base = path.join(process.env.SHOT, path.basename(file).replace(/\.[a-z]+$/, ''));
        for (const w of [600, 1200]) {
          // fullPage screenshots of right-to-left pages come out shifted: size the viewport instead.
          const p = await open(w);
          const h = await p.evaluate(() => document.documentElement.scrollHeight);
          await p.setViewport({ width: w, height: Math.min(h, 8000) });
          await p.screenshot({ path: `${base}-${w}.png` });
          await p.close();
        }
      }
    }
  } finally {
    await browser.close();
  }
})().catch(e => { console.error(e); process.exit(2); });
