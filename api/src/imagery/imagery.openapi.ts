import { problemResponse, type OpenApiFragment } from '../http/openapi.ts';

const id = { name: 'id', in: 'path', required: true, schema: { type: 'integer' } };
const bbox = { name: 'bbox', in: 'query', required: true, schema: { type: 'string' }, description: 'minLon,minLat,maxLon,maxLat in EPSG:4490', example: '109.50,21.55,109.52,21.57' };
const size = { name: 'size', in: 'query', schema: { type: 'integer', minimum: 16, maximum: 1024, default: 256 }, description: 'Long side of the PNG, pixels' };
const png = { description: 'PNG image (RGBA; transparent off the image and on no-data)', content: { 'image/png': { schema: { type: 'string', format: 'binary' } } } };
const accepted = { description: 'Job started; poll the Location (GET /api/jobs/{id})', content: { 'application/json': {} } };
const dateInput = {
  oneOf: [
    { type: 'object', required: ['imageryId'], additionalProperties: false, properties: { imageryId: { type: 'integer' } } },
    {
      type: 'object',
      required: ['files'],
      additionalProperties: false,
      properties: {
        files: { type: 'array', items: { type: 'string' }, description: 'GeoTIFF paths inside the server data folder (one multi-band file or one file per band)' },
        date: { type: 'string', format: 'date' },
        bands: { type: 'string', examples: ['blue=B02,green=B03,red=B04,nir=B08', 'blue=1,green=2,red=3,nir=4'] },
        srs: { type: 'string', examples: ['EPSG:32650'] },
      },
    },
  ],
};

/** OpenAPI description of the imagery routes. */
export const imageryOpenApi: OpenApiFragment = {
  schemas: {
    Imagery: {
      type: 'object',
      properties: {
        id: { type: 'integer' },
        name: { type: 'string' },
        date: { type: 'string', format: 'date', description: 'Acquisition date' },
        bbox: { type: 'array', items: { type: 'number' }, description: '[minLon, minLat, maxLon, maxLat], EPSG:4490' },
        srs: { type: 'string' },
        width: { type: 'integer' },
        height: { type: 'integer' },
        resolutionM: { type: 'number', description: 'Ground pixel size at the centre, metres' },
        bands: { type: 'array', items: { type: 'string' } },
        files: { type: 'array', items: { type: 'string' } },
        tiles: { type: 'string', description: 'Raster tile URL template', examples: ['/imagery/3/{z}/{x}/{y}.png'] },
      },
    },
  },
  paths: {
    '/api/imagery': {
      post: {
        operationId: 'registerImagery',
        summary: 'Upload GeoTIFF(s) of one date and register them (job) / 上传并登记影像',
        tags: ['imagery'],
        requestBody: {
          required: true,
          content: {
            'multipart/form-data': {
              schema: {
                type: 'object',
                required: ['file'],
                properties: {
                  file: { type: 'array', items: { type: 'string', format: 'binary' }, description: 'One multi-band GeoTIFF or one GeoTIFF per band' },
                  date: { type: 'string', format: 'date', description: 'Acquisition date; read from the file names when absent' },
                  bands: { type: 'string', description: 'Band map, e.g. red=3,green=2,blue=1 or blue=B02,…' },
                  name: { type: 'string' },
                  srs: { type: 'string', description: 'EPSG code overriding the files’ CRS' },
                },
              },
            },
          },
        },
        responses: { '202': accepted, '400': problemResponse('Missing file or bad field'), '413': problemResponse('Upload too large') },
      },
      get: {
        operationId: 'listImagery',
        summary: 'Registered imagery with footprint and date / 影像列表',
        tags: ['imagery'],
        parameters: [
          { name: 'from', in: 'query', schema: { type: 'string', format: 'date' } },
          { name: 'to', in: 'query', schema: { type: 'string', format: 'date' } },
          { ...bbox, required: false, description: 'Only imagery intersecting this box' },
          { name: 'limit', in: 'query', schema: { type: 'integer', default: 200 } },
        ],
        responses: { '200': { description: '{ imagery: Imagery[] }, newest first', content: { 'application/json': { schema: { type: 'object', properties: { imagery: { type: 'array', items: { $ref: '#/components/schemas/Imagery' } } } } } } }, '400': problemResponse('Bad query') },
      },
    },
    '/api/imagery/{id}': {
      get: {
        operationId: 'getImagery',
        summary: 'One registered imagery date, with its stretch and band map',
        tags: ['imagery'],
        parameters: [id],
        responses: { '200': { description: 'Imagery', content: { 'application/json': { schema: { $ref: '#/components/schemas/Imagery' } } } }, '404': problemResponse('Unknown id') },
      },
    },
    '/api/imagery/{id}/thumbnail.png': {
      get: {
        operationId: 'imageryThumbnail',
        summary: 'PNG of a lon/lat box of one imagery date (Web Mercator proportions) / 影像缩略图',
        tags: ['imagery'],
        parameters: [id, bbox, size],
        responses: { '200': png, '204': { description: 'The box misses the image' }, '400': problemResponse('Bad bbox'), '404': problemResponse('Unknown id') },
      },
    },
    '/api/imagery/thumbnail': {
      get: {
        operationId: 'imageryThumbnailByDate',
        summary: 'PNG of a box from the imagery best suited to a date (before / after / nearest)',
        tags: ['imagery'],
        parameters: [bbox, { name: 'date', in: 'query', required: true, schema: { type: 'string', format: 'date' } }, { name: 'when', in: 'query', schema: { type: 'string', enum: ['before', 'after', 'nearest'], default: 'nearest' } }, size],
        responses: { '200': { ...png, headers: { 'X-Imagery-Id': { schema: { type: 'integer' } }, 'X-Imagery-Date': { schema: { type: 'string' } } } }, '204': { description: 'Chosen imagery has no data there' }, '404': problemResponse('No imagery covers the box') },
      },
    },
    '/api/imagery/suspects/{id}/thumbnails': {
      get: {
        operationId: 'suspectImageryPair',
        summary: 'Before/after imagery of a suspect’s site: thumbnail links and tile templates / 疑点前后影像',
        tags: ['imagery'],
        parameters: [{ ...id, description: 'Suspect id' }, size],
        responses: {
          '200': {
            description: '{ suspectId, bbox, before: {imageryId, date, name, href, tiles} | null, after: … | null }',
            content: { 'application/json': {} },
          },
          '404': problemResponse('Unknown suspect'),
        },
      },
    },
    '/api/imagery/change-detections': {
      post: {
        operationId: 'detectChanges',
        summary: 'Detect change patches between two dates and import them as a change_patch dataset (job) / 变化检测',
        tags: ['imagery'],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['before', 'after'],
                additionalProperties: false,
                properties: {
                  before: dateInput,
                  after: dateInput,
                  threshold: { type: 'number', description: 'Fixed magnitude threshold (noise σ units); automatic when absent' },
                  thresholdMethod: { type: 'string', enum: ['kittler-illingworth', 'otsu'], default: 'kittler-illingworth' },
                  minAreaM2: { type: 'number', default: 200 },
                  name: { type: 'string', description: 'Layer name of the change_patch dataset' },
                },
              },
            },
          },
        },
        responses: { '202': accepted, '400': problemResponse('Bad body, or a path outside the data folder'), '404': problemResponse('Unknown imagery id') },
      },
    },
    '/imagery/{id}/{z}/{x}/{y}.png': {
      get: {
        operationId: 'imageryTile',
        summary: 'Raster tile of registered imagery: true colour, 2–98 % stretch, Web Mercator 256 px / 影像瓦片',
        tags: ['imagery'],
        parameters: [id, ...['z', 'x', 'y'].map((n) => ({ name: n, in: 'path', required: true, schema: { type: 'integer' } }))],
        responses: { '200': png, '204': { description: 'Tile outside the image' }, '304': { description: 'Not modified (ETag)' }, '400': problemResponse('Bad tile address'), '404': problemResponse('Unknown id') },
      },
    },
  },
};
