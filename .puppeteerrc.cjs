// geosim never lets puppeteer download a browser: it renders with a Chromium found on the machine
// (PUPPETEER_EXECUTABLE_PATH, then the usual paths). See src/render/mermaid/.
module.exports = { skipDownload: true };
