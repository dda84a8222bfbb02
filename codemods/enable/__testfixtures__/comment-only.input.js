// entry: everything happens in ./worker
require("./worker");
