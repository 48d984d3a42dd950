// Stands in for react-devtools-core in the terminal-view bundle: ink loads it only with DEV=true.
export default { initialize() {}, connectToDevTools() {} };
