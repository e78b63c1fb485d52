// Stands in for react-devtools-core, which ink imports only when DEV=true.
export default { initialize() {}, connectToDevTools() {} };
