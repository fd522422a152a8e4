/** Served at / when the web map has not been built (`npm run build`). */
export const PLACEHOLDER_PAGE = `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>土地卫士 LandWatch</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto">
<h1>土地卫士 LandWatch</h1>
<p>服务已启动。地图尚未构建：运行 <code>npm run build</code> 后刷新本页。</p>
<p>The service is running. The web map is not built yet: run <code>npm run build</code> and reload.</p>
<ul><li><a href="/api/health">/api/health</a></li><li><a href="/api/openapi.json">/api/openapi.json</a></li></ul>
</body>
</html>
`;
