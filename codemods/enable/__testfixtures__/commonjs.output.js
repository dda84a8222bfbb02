require('@governor/sdk/register');
const { runAgent } = require('./agent');

runAgent().catch((error) => {
  console.error(error);
  process.exit(1);
});
