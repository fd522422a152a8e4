import { problemResponse, type OpenApiFragment } from '../http/openapi.ts';
import { RULE_CODES } from './rule-catalog.ts';

const idParameter = { name: 'id', in: 'path', required: true, schema: { type: 'integer' } };

/** OpenAPI description of the analysis routes. */
export const analysisOpenApi: OpenApiFragment = {
  schemas: {
    AnalysisRun: {
      type: 'object',
      required: ['id', 'mode', 'status', 'rulesetVersion', 'rulesetHash'],
      properties: {
        id: { type: 'integer' },
        mode: { type: 'string', enum: ['full', 'incremental'], description: 'The mode that ran' },
        requestedMode: { type: 'string', enum: ['full', 'incremental'] },
        status: { type: 'string', enum: ['running', 'succeeded', 'failed'] },
        rulesetVersion: { type: 'string' },
        rulesetHash: { type: 'string', description: 'sha256 of the canonical ruleset content' },
        baselineEpoch: { type: ['string', 'null'], format: 'date' },
        latestEpoch: { type: ['string', 'null'], format: 'date' },
        previousRunId: { type: ['integer', 'null'] },
        counts: { type: 'object', description: 'subjects, scope, findings by rule, suspects created/deactivated/reopened …' },
        timings: { type: 'object', additionalProperties: { type: 'number' }, description: 'milliseconds per step' },
        notes: { type: 'array', items: { type: 'object', properties: { code: { type: 'string' }, zh: { type: 'string' }, en: { type: 'string' } } } },
        error: { type: ['string', 'null'] },
        startedAt: { type: 'string', format: 'date-time' },
        finishedAt: { type: ['string', 'null'], format: 'date-time' },
      },
    },
  },
  paths: {
    '/api/analysis/runs': {
      post: {
        operationId: 'startAnalysis',
        summary: 'Run the violation analysis as a job / 运行违法用地识别分析',
        description:
          'Incremental (default) evaluates only what changed since the previous successful run and falls back to a full run ' +
          '(saying why) when it could not be exact. Poll the job at the Location; its result is the run summary.',
        tags: ['analysis'],
        requestBody: {
          required: false,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                properties: {
                  mode: { type: 'string', enum: ['full', 'incremental'], default: 'incremental' },
                  ruleset: { type: 'string', description: 'Name of a ruleset file in data/rulesets (default: default)' },
                },
              },
            },
          },
        },
        responses: {
          '202': { description: 'Job started; poll the Location', content: { 'application/json': {} } },
          '400': problemResponse('Bad body or unknown ruleset'),
          '422': problemResponse('The ruleset does not validate'),
        },
      },
      get: {
        operationId: 'listAnalysisRuns',
        summary: 'Analysis runs, newest first / 分析记录',
        tags: ['analysis'],
        parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', default: 20, maximum: 200 } }],
        responses: {
          '200': { description: 'Runs', content: { 'application/json': { schema: { type: 'object', properties: { runs: { type: 'array', items: { $ref: '#/components/schemas/AnalysisRun' } } } } } } },
          '400': problemResponse('Bad limit'),
        },
      },
    },
    '/api/analysis/runs/{id}': {
      get: {
        operationId: 'getAnalysisRun',
        summary: 'One analysis run: ruleset, epochs, counts, timings, notes / 分析详情',
        tags: ['analysis'],
        parameters: [idParameter],
        responses: {
          '200': { description: 'The run', content: { 'application/json': { schema: { $ref: '#/components/schemas/AnalysisRun' } } } },
          '400': problemResponse('Bad id'),
          '404': problemResponse('No such run'),
        },
      },
    },
    '/api/analysis/rules': {
      get: {
        operationId: 'getAnalysisRules',
        summary: 'The rule catalogue with the current ruleset thresholds / 规则与阈值',
        tags: ['analysis'],
        responses: {
          '200': {
            description: 'Rules in report order',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    ruleset: { type: 'object' },
                    rules: { type: 'array', items: { type: 'object', properties: { code: { type: 'string', enum: [...RULE_CODES] } } } },
                    severities: { type: 'object' },
                    dispositions: { type: 'object' },
                  },
                },
              },
            },
          },
          '422': problemResponse('The ruleset does not validate'),
        },
      },
    },
  },
};
