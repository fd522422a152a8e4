import { RULE_CODES, SEVERITIES } from '../analysis/rule-catalog.ts';
import { problemResponse, type OpenApiFragment } from '../http/openapi.ts';
import { SUSPECT_STATUSES } from './suspect-status.ts';

const districtRef = { type: ['object', 'null'], properties: { code: { type: 'string' }, name: { type: 'string' } } };
const bilingualList = { type: 'object', properties: { zh: { type: 'array', items: { type: 'string' } }, en: { type: 'array', items: { type: 'string' } } } };

/** OpenAPI description of the suspect routes. */
export const suspectsOpenApi: OpenApiFragment = {
  schemas: {
    Suspect: {
      type: 'object',
      required: ['id', 'suspectKey', 'subjectKind', 'status', 'active', 'rules', 'areaM2', 'centroid', 'bbox'],
      properties: {
        id: { type: 'integer' },
        suspectKey: { type: 'string', description: 'Stable key: layer kind + name + source id (or geometry hash)' },
        subjectKind: { type: 'string', enum: ['building', 'change_patch'] },
        sourceId: { type: ['string', 'null'] },
        epoch: { type: ['string', 'null'], format: 'date' },
        isNew: { type: 'boolean', description: 'New since the baseline epoch (增量) rather than stock (存量)' },
        status: { type: 'string', enum: [...SUSPECT_STATUSES] },
        active: { type: 'boolean', description: 'False when the latest run no longer flags it' },
        severity: { type: ['string', 'null'], enum: [...SEVERITIES, null] },
        rules: { type: 'array', items: { type: 'string', enum: [...RULE_CODES] } },
        ruleNames: bilingualList,
        disposition: { type: ['object', 'null'], properties: { code: { type: 'string' }, zh: { type: 'string' }, en: { type: 'string' } } },
        areaM2: { type: 'number', description: 'Ellipsoidal area of the subject, m²' },
        areaMu: { type: 'number', description: '亩 (1 亩 = 10000/15 m²)' },
        overlapM2: { type: 'number', description: 'Largest overlap among its findings, m²' },
        district: {
          type: 'object',
          properties: { code: { type: ['string', 'null'] }, name: { type: ['string', 'null'] }, county: districtRef, township: districtRef, village: districtRef },
        },
        centroid: { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2, description: '[lon, lat] EPSG:4490' },
        bbox: { type: 'array', items: { type: 'number' }, minItems: 4, maxItems: 4, description: '[minLon, minLat, maxLon, maxLat]' },
        rulesetVersion: { type: ['string', 'null'] },
        lastRunId: { type: ['integer', 'null'] },
        updatedAt: { type: 'string', format: 'date-time' },
      },
    },
    Finding: {
      type: 'object',
      properties: {
        id: { type: 'integer' },
        rule: { type: 'string', enum: [...RULE_CODES] },
        ruleName: { type: 'object', properties: { zh: { type: 'string' }, en: { type: 'string' } } },
        overlapM2: { type: 'number' },
        overlapMu: { type: 'number' },
        share: { type: 'number', description: 'Overlap / subject area, 0..1' },
        severity: { type: ['string', 'null'] },
        matched: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              featureId: { type: 'integer' },
              datasetId: { type: 'integer' },
              kind: { type: 'string' },
              sourceId: { type: ['string', 'null'] },
              code: { type: ['string', 'null'] },
              name: { type: ['string', 'null'] },
              attrs: { type: 'object' },
            },
          },
        },
        rulesetVersion: { type: 'string' },
        geometry: { type: ['object', 'null'], description: 'Overlap as a GeoJSON MultiPolygon, EPSG:4490' },
      },
    },
  },
  paths: {
    '/api/suspects': {
      get: {
        operationId: 'listSuspects',
        summary: 'Suspects (疑似违法图斑), filtered, in id order with keyset pages',
        tags: ['suspects'],
        parameters: [
          { name: 'district', in: 'query', schema: { type: 'string', pattern: '^\\d{1,12}$' }, description: 'District code prefix' },
          { name: 'rule', in: 'query', schema: { type: 'string' }, description: `Any of (comma-separated): ${RULE_CODES.join(', ')}` },
          { name: 'severity', in: 'query', schema: { type: 'string' }, description: 'Any of light, general, serious' },
          { name: 'status', in: 'query', schema: { type: 'string' }, description: `Any of ${SUSPECT_STATUSES.join(', ')}` },
          { name: 'min_area_m2', in: 'query', schema: { type: 'number', minimum: 0 } },
          { name: 'bbox', in: 'query', schema: { type: 'string' }, description: 'minLon,minLat,maxLon,maxLat (EPSG:4490)' },
          { name: 'epoch', in: 'query', schema: { type: 'string', format: 'date' } },
          { name: 'is_new', in: 'query', schema: { type: 'boolean' } },
          { name: 'active', in: 'query', schema: { type: 'string', enum: ['true', 'false', 'all'], default: 'true' } },
          { name: 'cursor', in: 'query', schema: { type: 'string' }, description: 'nextCursor of the previous page' },
          { name: 'limit', in: 'query', schema: { type: 'integer', default: 100, minimum: 1, maximum: 1000 } },
          { name: 'format', in: 'query', schema: { type: 'string', enum: ['json', 'geojson'], default: 'json' } },
        ],
        responses: {
          '200': {
            description: 'A page of suspects; a Link rel="next" header when more follow',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: { suspects: { type: 'array', items: { $ref: '#/components/schemas/Suspect' } }, nextCursor: { type: ['string', 'null'] } },
                },
              },
              'application/geo+json': { schema: { type: 'object', description: 'FeatureCollection of suspects (properties) with their geometry, plus nextCursor' } },
            },
          },
          '400': problemResponse('Bad filter'),
        },
      },
    },
    '/api/suspects/{id}': {
      get: {
        operationId: 'getSuspect',
        summary: 'One suspect with its evidence (findings with overlap geometry) / 疑似图斑详情',
        tags: ['suspects'],
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
        responses: {
          '200': {
            description: 'The suspect',
            content: {
              'application/json': {
                schema: {
                  allOf: [
                    { $ref: '#/components/schemas/Suspect' },
                    { type: 'object', properties: { geometry: { type: 'object' }, findings: { type: 'array', items: { $ref: '#/components/schemas/Finding' } } } },
                  ],
                },
              },
            },
          },
          '400': problemResponse('Bad id'),
          '404': problemResponse('No such suspect'),
        },
      },
    },
  },
};
