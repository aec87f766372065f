"""Reads e-mail drafts with Python's email package (policy.default) and writes, for each
X.eml, X.parts/: subject.txt, text.txt, html.html, attachment.pdf, and defects.txt (every
defect of every part and header, one a line; empty when there are none)."""
import email, os, sys
from email import policy

for path in sys.argv[1:]:
    m = email.message_from_bytes(open(path, 'rb').read(), policy=policy.default)
    out = path[:-4] + '.parts'
    os.makedirs(out, exist_ok=True)
    defects = []
    for part in m.walk():
        for d in part.defects:
            defects.append('%s: %r' % (part.get_content_type(), d))
        for name, value in part.items():
            for d in getattr(value, 'defects', ()):
                defects.append('%s header: %r' % (name, d))
    open(os.path.join(out, 'defects.txt'), 'w').write('\n'.join(defects))
    open(os.path.join(out, 'subject.txt'), 'w', encoding='utf-8').write(str(m['subject']))
    open(os.path.join(out, 'structure.txt'), 'w').write(
        ' '.join(p.get_content_type() for p in m.walk()))
    headers = ['%s: %s' % (k, v) for k, v in m.items()]
    open(os.path.join(out, 'headers.txt'), 'w', encoding='utf-8').write('\n'.join(headers))
    open(os.path.join(out, 'text.txt'), 'w', encoding='utf-8', newline='').write(
        m.get_body(('plain',)).get_content())
    open(os.path.join(out, 'html.html'), 'w', encoding='utf-8', newline='').write(
        m.get_body(('html',)).get_content())
    pdfs = [p for p in m.iter_attachments() if p.get_content_type() == 'application/pdf']
    if pdfs:
        open(os.path.join(out, 'attachment.pdf'), 'wb').write(pdfs[0].get_content())
        open(os.path.join(out, 'attachment-name.txt'), 'w').write(pdfs[0].get_filename() or '')
