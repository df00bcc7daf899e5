// Unit tests run TypeScript straight from src/ through ts-node; type checking is `npm run check`'s job.
process.env.TS_NODE_PROJECT = 'tsconfig.json';
process.env.TS_NODE_TRANSPILE_ONLY = 'true';
process.on('unhandledRejection', e => {
    throw e;
});
