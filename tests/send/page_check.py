"""Extracts OpenGraph and JSON-LD from pages with extruct (a real consumer, as a sharing site
or search engine reads them) and prints them as one JSON object per page, by file name."""
import json, sys
import extruct

result = {}
for path in sys.argv[1:]:
    html = open(path, encoding='utf-8').read()
    data = extruct.extract(html, syntaxes=['json-ld', 'opengraph'], uniform=True)
    result[path] = data
print(json.dumps(result))
