export { TabFeed, tabRow, TAB_ROW_COLUMNS, MAX_SERIES_METRICS } from './feed';
export type { TabFeedOptions, TabMessage, TabNodeSource, TabPoll, TabRow } from './feed';
