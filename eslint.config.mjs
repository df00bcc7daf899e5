import config from '@iobroker/eslint-config';

export default [
    ...config,
    {
        languageOptions: {
            parserOptions: {
                projectService: {
                    allowDefaultProject: ['*.mjs', 'test/*.js', 'test/bench/*.js', 'tools/*.js', 'tools/*.mjs'],
                },
                tsconfigRootDir: import.meta.dirname,
            },
        },
    },
    {
        ignores: [
            '.dev-server/',
            '.vscode/',
            '.types/',
            'build/',
            'coverage/',
            'admin/tab.js',
            'admin/words.js',
            '**/adapter-config.d.ts',
            'test/**/*.js',
            'tools/**',
            '*.config.mjs',
        ],
    },
    {
        rules: {
            'jsdoc/require-jsdoc': 'off',
            'jsdoc/require-param': 'off',
            'jsdoc/require-returns': 'off',
        },
    },
];
