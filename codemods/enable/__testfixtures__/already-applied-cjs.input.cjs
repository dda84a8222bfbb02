require('dotenv/config');
require('@governor/sdk/register');
require('./server.cjs');
