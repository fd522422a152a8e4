-- Where and when a suspect is, for its before/after thumbnails: bbox (lon/lat), epoch, and the
-- before/after dates its subject carries when it is a change patch (QSX/HSX). No row when unknown.
SELECT s.id, to_char(s.epoch, 'YYYY-MM-DD') AS epoch,
       ST_XMin(s.geom) AS xmin, ST_YMin(s.geom) AS ymin, ST_XMax(s.geom) AS xmax, ST_YMax(s.geom) AS ymax,
       sub.attrs ->> 'QSX' AS qsx, sub.attrs ->> 'HSX' AS hsx
FROM suspect s
LEFT JOIN subject sub ON sub.id = s.subject_id
WHERE s.id = $1
