'use strict';
// Package files test (@iobroker/testing 5.3.0: no schema download, so it runs offline).
const path = require('node:path');
const { tests } = require('@iobroker/testing');

tests.packageFiles(path.join(__dirname, '..'));
