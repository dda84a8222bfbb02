require("@governor/sdk/register");
// entry: everything happens in ./worker
require("./worker");
