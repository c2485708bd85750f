#!/usr/bin/env python3
# embed.py INPUT OUTPUT SYMBOL: OUTPUT is a C file defining `const char SYMBOL[]` holding
# INPUT's bytes, so a program carries the file as it was built (berth-default's template).
import sys

src, dst, symbol = sys.argv[1:4]
data = open(src, 'rb').read()
with open(dst, 'w') as out:
    out.write('/* generated from %s by embed.py */\n' % src.split('/')[-1])
    out.write('extern const char %s[];\n' % symbol)
    out.write('const char %s[] = {\n' % symbol)
    for i in range(0, len(data), 16):
        out.write('        ' + ', '.join('0x%02x' % b for b in data[i:i + 16]) + ',\n')
    out.write('        0x00,\n};\n')
