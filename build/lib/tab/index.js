"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MAX_SERIES_METRICS = exports.TAB_ROW_COLUMNS = exports.tabRow = exports.TabFeed = void 0;
var feed_1 = require("./feed");
Object.defineProperty(exports, "TabFeed", { enumerable: true, get: function () { return feed_1.TabFeed; } });
Object.defineProperty(exports, "tabRow", { enumerable: true, get: function () { return feed_1.tabRow; } });
Object.defineProperty(exports, "TAB_ROW_COLUMNS", { enumerable: true, get: function () { return feed_1.TAB_ROW_COLUMNS; } });
Object.defineProperty(exports, "MAX_SERIES_METRICS", { enumerable: true, get: function () { return feed_1.MAX_SERIES_METRICS; } });
