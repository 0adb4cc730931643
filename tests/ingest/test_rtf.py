"""The RTF reader on files as Word writes them, and on files written to hurt it."""

import tracemalloc

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reports.ingest.extract.rtf import rtf_to_text

# A 红头文件 as Word 2016 (Simplified Chinese Windows, code page 936) saves it as RTF, written by
# hand after Word's conventions: \uc2 with two-byte GBK fallbacks, every run naming its fonts
# (\hich\af \dbch\af \loch\f), the font table's names in GBK, the list label written again in
# \listtext, theme data, bookmarks, a hyperlink field, a picture with its metafile twin, a
# table whose row properties come twice, page headers and footers, and a footnote.
WORD_RTF = rb"""{\rtf1\adeflang1025\ansi\ansicpg936\uc2\adeff0\deff0\stshfdbch13\stshfloch0\stshfhich0\stshfbi0\deflang1033\deflangfe2052\themelang1033\themelangfe2052\themelangcs0{\fonttbl{\f0\fbidi \froman\fcharset0\fprq2{\*\panose 02020603050405020304}Times New Roman;}
{\f13\fbidi \fnil\fcharset134\fprq2{\*\panose 02010600030101010101}\'cb\'ce\'cc\'e5{\*\falt SimSun};}{\f37\fbidi \fnil\fcharset134\fprq2{\*\panose 02010600030101010101}@\'cb\'ce\'cc\'e5;}
{\flomajor\f31500\fbidi \froman\fcharset0\fprq2{\*\panose 02020603050405020304}Times New Roman;}{\fdbmajor\f31501\fbidi \fnil\fcharset134\fprq2{\*\panose 02010600030101010101}\'cb\'ce\'cc\'e5{\*\falt SimSun};}}
{\colortbl;\red0\green0\blue0;\red0\green0\blue255;\red255\green0\blue0;}{\*\defchp \fs21\kerning2\loch\af0\hich\af0\dbch\af13 }{\*\defpap \ql \li0\ri0\widctlpar\wrapdefault\aspalpha\aspnum\faauto\adjustright\rin0\lin0\itap0 }
{\stylesheet{\qj \li0\ri0\nowidctlpar\wrapdefault\aspalpha\aspnum\faauto\adjustright\rin0\lin0\itap0 \rtlch\fcs1 \af0\afs24\alang1025 \ltrch\fcs0 \kerning2\loch\f0\hich\af0\dbch\af13\cgrid\langnp1033\langfenp2052 \snext0 \sqformat \spriority0 Normal;}
{\s1\qj \li0\ri0\sb340\sa330\sl578\slmult1\keepn\nowidctlpar\wrapdefault\aspalpha\aspnum\faauto\outlinelevel0\adjustright\rin0\lin0\itap0 \rtlch\fcs1 \ab\af0\afs44\alang1025 \ltrch\fcs0 \b\fs44\lang1033\langfe2052\kerning44\loch\f0\hich\af0\dbch\af13\cgrid\langnp1033\langfenp2052 \sbasedon0 \snext0 \slink15 \sqformat \spriority9 \styrsid1 heading 1;}}
{\*\listtable{\list\listtemplateid1{\listlevel\levelnfc39\levelnfcn39\leveljc0\leveljcn0\levelfollow0\levelstartat1\levelspace0\levelindent0{\leveltext\leveltemplateid2\'02\'00\'a1\'a2;}{\levelnumbers\'01;}\rtlch\fcs1 \af0 \ltrch\fcs0 \fi-420\li420\lin420 }{\listname ;}\listid100}}
{\*\listoverridetable{\listoverride\listid100\listoverridecount0\ls1}}{\*\rsidtbl \rsid1\rsid2}{\mmathPr\mmathFont34\mbrkBin0}
{\info{\title \'b9\'a4\'d7\'f7\'d7\'dc\'bd\'e1}{\author \'d5\'c5\'c8\'fd}{\creatim\yr2022\mo1\dy15\hr9\min30}{\version1}}{\*\xmlnstbl {\xmlns1 http://schemas.microsoft.com/office/word/2003/wordml}}
\paperw11906\paperh16838\margl1800\margr1800\margt1440\margb1440\gutter0\ltrsect
\widowctrl\ftnbj\aenddoc\trackmoves0\trackformatting1\donotembedsysfont0\relyonvml0\donotembedlingdata1\grfdocevents0\validatexml0\showplaceholdtext0\ignoremixedcontent0\saveinvalidxml0\showxmlerrors0\horzdoc\dghspace120\dgvspace120\dghorigin1701\dgvorigin1984\dghshow0\dgvshow2
\jcompress\lnongrid{\*\wgrsid1}\viewkind1\viewscale100\splytwnine\ftnlytwnine\htmautsp\useltbaln\alntblind\lytcalctblwd\lyttblrtgr\lnbrkrule\nobrkwrptbl\snaptogridincell\allowfieldendsel\wrppunct\asianbrkrule\rsidroot1
\newtblstyruls\nogrowautofit\usenormstyforlist\noindnmbrhd\felnbrelev\nocxsptable\indrlsweleven\noafcnsttbl\afelev\utinl\hwelev\spltpgpar\notcvasp\notbrkcnstfrctbl\notvatxbx\krnprsnet\cachedcolbal \nouicompat \fet0
{\*\wgrsid1}\nofeaturethrottle1\ilfomacatclnup0{\*\ftnsep \ltrpar \pard\plain \ltrpar\qj \li0\ri0\nowidctlpar\wrapdefault\aspalpha\aspnum\faauto\adjustright\rin0\lin0\itap0 \rtlch\fcs1 \af0\afs24\alang1025 \ltrch\fcs0 \fs21\lang1033\langfe2052\kerning2\loch\af0\hich\af0\dbch\af13\cgrid\langnp1033\langfenp2052 {\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1 \chftnsep
\par }}\ltrpar \sectd \ltrsect\linex0\headery851\footery992\colsx425\endnhere\sectlinegrid312\sectspecifyl\sftnbj {\headerr \ltrpar \pard\plain \ltrpar\s18\qc \li0\ri0\pagebb\brdrb\brdrs\brdrw15\brsp20 \rtlch\fcs1 \af0\afs18\alang1025 \ltrch\fcs0 \fs18\lang1033\langfe2052\kerning2\loch\af0\hich\af0\dbch\af13\cgrid\langnp1033\langfenp2052 {\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1 \hich\af13\dbch\af13\loch\f13 \'d2\'b3\'c3\'bc\'ce\'c4\'d7\'d6}{\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1 \par }}
{\footerr \ltrpar \pard\plain \ltrpar\s20\qc \li0\ri0 \rtlch\fcs1 \af0\afs18\alang1025 \ltrch\fcs0 \fs18\lang1033\langfe2052\kerning2\loch\af0\hich\af0\dbch\af13\cgrid\langnp1033\langfenp2052 {\field{\*\fldinst {\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1 \hich\af0\dbch\af13\loch\f0  PAGE   \\* MERGEFORMAT }}{\fldrslt {\rtlch\fcs1 \af0 \ltrch\fcs0 \lang1024\langfe1024\noproof\insrsid1 \hich\af0\dbch\af13\loch\f0 1}}}\sectd \ltrsect\linex0\endnhere\sectdefaultcl\sftnbj {\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1 \par }}
{\*\pnseclvl1\pnucrm\pnstart1\pnindent720\pnhang {\pntxta .}}{\*\pnseclvl2\pnucltr\pnstart1\pnindent720\pnhang {\pntxta .}}
\pard\plain \ltrpar\qc \li0\ri0\nowidctlpar\wrapdefault\aspalpha\aspnum\faauto\adjustright\rin0\lin0\itap0\pararsid1 \rtlch\fcs1 \af0\afs24\alang1025 \ltrch\fcs0 \fs21\lang1033\langfe2052\kerning2\loch\af0\hich\af0\dbch\af13\cgrid\langnp1033\langfenp2052 {\rtlch\fcs1 \af0\afs72 \ltrch\fcs0 \f13\fs72\cf3\insrsid1 \hich\af13\dbch\af13\loch\f13 \'cb\'c4\'b4\'a8\'ca\'a1\'d2\'bd\'d4\'ba\'d0\'ad\'bb\'e1\'ce\'c4\'bc\'fe}{\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1
\par }\pard \ltrpar\qc \li0\ri0\nowidctlpar\wrapdefault\aspalpha\aspnum\faauto\adjustright\rin0\lin0\itap0\pararsid1 {\rtlch\fcs1 \af0 \ltrch\fcs0 \f13\insrsid1 \hich\af13\dbch\af13\loch\f13 \'b4\'a8\'d2\'bd\'d0\'ad}{\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1 \hich\af13\dbch\af13\loch\f13 \'a1\'b2}{\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1 \hich\af0\dbch\af13\loch\f0 2022}{\rtlch\fcs1 \af0 \ltrch\fcs0 \f13\insrsid1 \hich\af13\dbch\af13\loch\f13 \'a1\'b3}{\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1 \hich\af0\dbch\af13\loch\f0 1}{\rtlch\fcs1 \af0 \ltrch\fcs0 \f13\insrsid1 \hich\af13\dbch\af13\loch\f13 \'ba\'c5}{\*\bkmkstart _GoBack}{\*\bkmkend _GoBack}{\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1
\par }\pard\plain \ltrpar\s1\qc \li0\ri0\sb340\sa330\sl578\slmult1\keepn\nowidctlpar\wrapdefault\aspalpha\aspnum\faauto\outlinelevel0\adjustright\rin0\lin0\itap0\pararsid1 \rtlch\fcs1 \ab\af0\afs44\alang1025 \ltrch\fcs0 \b\fs44\lang1033\langfe2052\kerning44\loch\af0\hich\af0\dbch\af13\cgrid\langnp1033\langfenp2052 {\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1 \hich\af13\dbch\af13\loch\f13 \'cb\'c4\'b4\'a8\'ca\'a1\'d2\'bd\'d4\'ba\'d0\'ad\'bb\'e1}{\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1 \hich\af0\dbch\af13\loch\f0 2021}{\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1 \hich\af13\dbch\af13\loch\f13 \'c4\'ea\'b6\'c8\'b9\'a4\'d7\'f7\'d7\'dc\'bd\'e1}{\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1
\par }\pard\plain \ltrpar\qj \fi-420\li420\ri0\nowidctlpar\wrapdefault\aspalpha\aspnum\faauto\ls1\adjustright\rin0\lin420\itap0\pararsid1 \rtlch\fcs1 \af0\afs24\alang1025 \ltrch\fcs0 \fs21\lang1033\langfe2052\kerning2\loch\af0\hich\af0\dbch\af13\cgrid\langnp1033\langfenp2052 {\listtext\pard\plain\ltrpar \rtlch\fcs1 \af0\afs21 \ltrch\fcs0 \f13\fs21\insrsid1 \hich\af13\dbch\af13\loch\f13 \'d2\'bb\'a1\'a2\tab}{\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1 \hich\af13\dbch\af13\loch\f13 \'bc\'d3\'c7\'bf\'d0\'ad\'bb\'e1\'d7\'d4\'c9\'ed\'bd\'a8\'c9\'e8}{\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1
\par }\pard\plain \ltrpar\qj \fi640\li0\ri0\nowidctlpar\wrapdefault\aspalpha\aspnum\faauto\adjustright\rin0\lin0\itap0\pararsid1 \rtlch\fcs1 \af0\afs24\alang1025 \ltrch\fcs0 \fs21\lang1033\langfe2052\kerning2\loch\af0\hich\af0\dbch\af13\cgrid\langnp1033\langfenp2052 {\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1 \hich\af0\dbch\af13\loch\f0 2021}{\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1 \hich\af13\dbch\af13\loch\f13 \'c4\'ea\'a3\'ac\'d0\'ad\'bb\'e1\'d7\'e9\'d6\'af\'bf\'aa\'d5\'b9}{\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1 \u8220\'a1\'b0\u26381\'b7\'fe\u21153\'ce\'f1\u22522\'bb\'f9\u23618\'b2\'e3\u8221\'a1\'b1}{\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1 \hich\af13\dbch\af13\loch\f13 \'bb\'ee\'b6\'af\'a3\'ac\'cf\'ea\'bc\'fb}{\field{\*\fldinst {\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1 \hich\af0\dbch\af13\loch\f0  HYPERLINK "http://www.example.org/" }}{\fldrslt {\rtlch\fcs1 \af0 \ltrch\fcs0 \cs15\ul\cf2\insrsid1 \hich\af13\dbch\af13\loch\f13 \'cd\'f8\'d5\'be}}}{\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1 \hich\af13\dbch\af13\loch\f13 \'a1\'a3}{\rtlch\fcs1 \af0 \ltrch\fcs0 \cs17\super\insrsid1 \chftn {\footnote \ltrpar \pard\plain \ltrpar\s16\ql \rtlch\fcs1 \af0\afs18\alang1025 \ltrch\fcs0 \fs18\lang1033\langfe2052\kerning2\loch\af0\hich\af0\dbch\af13\cgrid\langnp1033\langfenp2052 {\rtlch\fcs1 \af0 \ltrch\fcs0 \cs17\super\insrsid1 \chftn }{\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1 \hich\af13\dbch\af13\loch\f13 \'bd\'c5\'d7\'a2}}}{\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1
\par }\pard \ltrpar\qc \li0\ri0\nowidctlpar\wrapdefault\aspalpha\aspnum\faauto\adjustright\rin0\lin0\itap0\pararsid1 {\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1 {\*\shppict{\pict{\*\picprop\shplid1025{\sp{\sn shapeType}{\sv 75}}{\sp{\sn fFlipH}{\sv 0}}}\picscalex100\picscaley100\piccropl0\piccropr0\piccropt0\piccropb0\picw265\pich265\picwgoal150\pichgoal150\pngblip\bliptag-12345{\*\blipuid 0123456789abcdef0123456789abcdef}
89504e470d0a1a0a0000000d4948445200000001000000010806000000
1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082}}{\nonshppict{\pict\picscalex100\picscaley100\picw265\pich265\picwgoal150\pichgoal150\wmetafile8\bliptag-12345\blipupi96{\*\blipuid 0123456789abcdef0123456789abcdef}
010009000003e700000000000000000000}}}{\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1
\par }\trowd \irow0\irowband0\ltrrow\ts11\trgaph108\trleft-108\trbrdrt\brdrs\brdrw10 \trftsWidth1\trftsWidthB3\trautofit1\trpaddl108\trpaddr108\trpaddfl3\trpaddft3\trpaddfb3\trpaddfr3\tblrsid1\tbllkhdrrows\tbllkhdrcols\tbllknocolband\tblind0\tblindtype3 \clvertalt\clbrdrt\brdrs\brdrw10 \cltxlrtb\clftsWidth3\clwWidth4261\clshdrawnil \cellx4153\clvertalt\cltxlrtb\clftsWidth3\clwWidth4261\clshdrawnil \cellx8414\pard\plain \ltrpar\qj \li0\ri0\nowidctlpar\intbl\wrapdefault\aspalpha\aspnum\faauto\adjustright\rin0\lin0\pararsid1\yts11 \rtlch\fcs1 \af0\afs24\alang1025 \ltrch\fcs0 \fs21\lang1033\langfe2052\kerning2\loch\af0\hich\af0\dbch\af13\cgrid\langnp1033\langfenp2052 {\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1 \hich\af13\dbch\af13\loch\f13 \'cf\'ee\'c4\'bf}{\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1 \cell }\pard \ltrpar\qj \li0\ri0\nowidctlpar\intbl\wrapdefault\aspalpha\aspnum\faauto\adjustright\rin0\lin0\pararsid1\yts11 {\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1 \hich\af0\dbch\af13\loch\f0 24}{\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1 \cell }\pard\plain \ltrpar\qj \li0\ri0\widctlpar\intbl\wrapdefault\aspalpha\aspnum\faauto\adjustright\rin0\lin0 \rtlch\fcs1 \af0\afs24\alang1025 \ltrch\fcs0 \fs21\lang1033\langfe2052\kerning2\loch\af0\hich\af0\dbch\af13\cgrid\langnp1033\langfenp2052 {\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1 \trowd \irow0\irowband0\lastrow \ltrrow\ts11\trgaph108\trleft-108 \cellx4153\cellx8414\row }\pard\plain \ltrpar\qr \li0\ri0\nowidctlpar\wrapdefault\aspalpha\aspnum\faauto\adjustright\rin0\lin0\itap0\pararsid1 \rtlch\fcs1 \af0\afs24\alang1025 \ltrch\fcs0 \fs21\lang1033\langfe2052\kerning2\loch\af0\hich\af0\dbch\af13\cgrid\langnp1033\langfenp2052 {\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1 \hich\af13\dbch\af13\loch\f13 \'cb\'c4\'b4\'a8\'ca\'a1\'d2\'bd\'d4\'ba\'d0\'ad\'bb\'e1}{\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1
\par }\pard \ltrpar\qr \li0\ri0\nowidctlpar\wrapdefault\aspalpha\aspnum\faauto\adjustright\rin0\lin0\itap0\pararsid1 {\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1 \hich\af0\dbch\af13\loch\f0 2022}{\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1 \hich\af13\dbch\af13\loch\f13 \'c4\'ea}{\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1 \hich\af0\dbch\af13\loch\f0 1}{\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1 \hich\af13\dbch\af13\loch\f13 \'d4\'c2}{\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1 \hich\af0\dbch\af13\loch\f0 15}{\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1 \hich\af13\dbch\af13\loch\f13 \'c8\'d5}{\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1
\par }{\*\themedata 504b030414000600080000002100e9de0fbfff0000001c020000130000005b436f6e74656e745f54797065735d2e786d6c}
{\*\colorschememapping 3c3f786d6c2076657273696f6e3d22312e30223f3e}
{\*\latentstyles\lsdstimax375\lsdlockeddef0\lsdsemihiddendef0\lsdunhideuseddef0\lsdqformatdef0\lsdprioritydef99{\lsdlockedexcept \lsdqformat1 \lsdpriority0 \lsdlocked0 Normal;\lsdqformat1 \lsdpriority9 \lsdlocked0 heading 1;}}
{\*\datastore 01050000020000001800000057006f00720064002e0044006f00630075006d0065006e0074002e003800000000000000}}
"""

WORD_TEXT = [
    "四川省医院协会文件",
    "川医协〔2022〕1号",
    "四川省医院协会2021年度工作总结",
    "一、加强协会自身建设",
    "2021年，协会组织开展“服务基层”活动，详见网站。",
    "",
    "项目  24",
    "四川省医院协会",
    "2022年1月15日",
]


def test_rtf_as_word_2016_writes_it():
    assert rtf_to_text(WORD_RTF, filename="总结.rtf").split("\n") == [*WORD_TEXT, ""]


@pytest.mark.parametrize("body, text", [
    (rb"\deff0{\fonttbl{\f0\fnil\fcharset134 SimSun;}}\'cb\'c4\'b4\'a8", "四川"),
    # \plain goes back to the default font, and so to its code page.
    (rb"\deff0{\fonttbl{\f0\fnil\fcharset134 SimSun;}{\f1\fswiss\fcharset0 Arial;}}\f1 caf\'e9 \plain \'cb\'c4\'b4\'a8", "café 四川"),
    # The default font may be named before the font table defines it; a font never defined reads as the document.
    (rb"\ansicpg936\deff5{\fonttbl{\f0\fcharset0 Times;}}\'cb\'c4\f9 \'b4\'a8", "四川"),
])
def test_bytes_are_read_in_the_code_page_of_the_default_font_when_no_font_is_named(body, text):
    assert rtf_to_text(rb"{\rtf1\ansi" + body + rb"\par}", filename="x.rtf") == text + "\n"


# Each with its fallback character; the last number is longer than any the reader takes (the 1 left over is its fallback).
@pytest.mark.parametrize("escape", [rb"\u99999999?", rb"\u-99999?", rb"\u12345678901"])
def test_a_character_number_out_of_unicode_is_damage_not_a_failure(escape):
    assert rtf_to_text(rb"{\rtf1 \u21327?" + escape + rb"\u20250?}", filename="x.rtf") == "协\ufffd会"


def test_the_fallback_of_a_unicode_character_ends_with_its_group():
    # \ucN counts the fallback characters to skip; they never reach past the group's end.
    assert rtf_to_text(rb"{\rtf1 {\uc9 \u20320?}after {\u22909}abc}", filename="x.rtf") == "你after 好abc"


def test_text_written_a_character_at_a_time_costs_about_what_the_text_weighs():
    # LibreOffice writes every Chinese character as \uN: a 20 MB RTF holds 2.6 million of them.
    data = b"{\\rtf1 " + b"\\u20320?" * 20_000 + b"}"
    tracemalloc.start()
    try:
        text = rtf_to_text(data, filename="x.rtf")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert text == "你" * 20_000
    assert peak < 30 * len(text)   # kept as a string a character, it took 85 bytes a character
