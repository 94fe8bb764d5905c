//! The accessibility statement (`/toegankelijkheid`), in the shape Dutch public bodies publish
//! it (the model of toegankelijkheidsverklaring.nl): what it covers, how far Werkmuur meets
//! WCAG 2.1 AA, how that was tested, what is not right yet, and where to report a problem.
//! The server draws it as plain HTML; no browser bundle carries these texts.
//!
//! Written at B1 level, like every text for participants: short sentences, common words.

use super::Lang;

/// One piece of the statement, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Heading(&'static str),
    Para(&'static str),
    List(&'static [&'static str]),
    /// Where to report a problem: the operator's contact (`{contact}`), when it has one.
    Contact {
        with: &'static str,
        without: &'static str,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Statement {
    pub title: &'static str,
    pub parts: &'static [Part],
    /// The link back to the home page.
    pub home: &'static str,
    /// What the list of languages is called.
    pub languages: &'static str,
}

/// The statement in `lang`.
pub fn statement(lang: Lang) -> &'static Statement {
    match lang {
        Lang::Nl => &NL,
        Lang::En => &EN,
        Lang::Tr => &TR,
        Lang::Ar => &AR,
    }
}

use Part::{Contact, Heading, List, Para};

const NL: Statement = Statement {
    title: "Toegankelijkheidsverklaring",
    home: "Naar het begin",
    languages: "Talen",
    parts: &[
        Para(
            "Iedereen moet mee kunnen doen met een leersessie. Ook als je slecht ziet of slecht hoort. Ook als je geen muis gebruikt, of moeite hebt met lezen. Daarom willen we dat iedereen Werkmuur kan gebruiken. Hier lees je hoe ver we zijn.",
        ),
        Heading("Waar gaat deze verklaring over?"),
        Para(
            "Deze verklaring gaat over alle pagina's van Werkmuur op deze website. Dat zijn: de beginpagina, meedoen met een code, de sessie op je telefoon, het bedieningsscherm van de begeleider, het projectorscherm en de pagina voor organisatoren. De verklaring gaat ook over de verslagen die je kunt downloaden.",
        ),
        Heading("Hoe toegankelijk is Werkmuur?"),
        Para(
            "Werkmuur voldoet gedeeltelijk aan de eisen. De eisen staan in de richtlijn WCAG 2.1, niveau AA. Die richtlijn geldt voor alle websites en apps van de overheid. Dat staat in het Besluit digitale toegankelijkheid overheid.",
        ),
        Para(
            "We hebben Werkmuur zelf getest. Een onafhankelijke deskundige heeft Werkmuur nog niet onderzocht. Daarom zeggen we nog niet dat Werkmuur helemaal voldoet.",
        ),
        Heading("Hoe hebben we getest?"),
        List(&[
            "Na elke verandering doen we een test in een echte browser (Chromium). De test doet hele sessies na. Elk onderdeel van de drie draaiboeken komt aan bod.",
            "Op elk scherm kijkt het programma axe-core de regels van WCAG 2.1 A en AA na. Het gaat om de regels die een computer zelf kan nakijken. Dat doen we in het Nederlands, het Arabisch en het Turks. Er mag geen enkele fout zijn.",
            "We doen een hele sessie alleen met het toetsenbord, op het bedieningsscherm en op een telefoon. Bij elke stap moet je zien waar je bent.",
            "De pagina's op de telefoon werken ook op een scherm van 320 pixels breed. Zo smal is het scherm als je op een telefoon 200% inzoomt. Niets valt aan de zijkant weg.",
            "Knoppen op de telefoon zijn minstens 44 bij 44 pixels.",
            "De projector toont alles zonder scrollen. De letters zijn minstens 1/60 van de hoogte van het scherm. Past niet alles? Dan gaat het scherm elke 10 seconden naar de volgende pagina. Met de knop 'Pagina's stilzetten' zet je dat stil.",
            "Werkmuur volgt de instelling 'minder beweging' en de contrastthema's van Windows.",
            "Arabisch staat van rechts naar links. Elke deelnemer kiest zelf een taal op de eigen telefoon.",
        ]),
        Para("Laatste test: 3 december 2026."),
        Heading("Wat werkt nog niet goed?"),
        List(&[
            "We hebben Werkmuur nog niet getest met een schermlezer. Dat is een programma dat voorleest wat er op het scherm staat, zoals NVDA of VoiceOver. We hebben ook nog niet getest met mensen met een beperking. Dat gaan we doen.",
            "Deelnemers schrijven de briefjes zelf. We laten ze zien zoals de deelnemers ze schreven. We vertalen ze niet.",
            "Twee dingen hebben we nog niet apart getest: het verslag als LibreOffice-bestand en de tabel met briefjes.",
        ]),
        Heading("Heb je een probleem met Werkmuur?"),
        Contact {
            with: "Laat het ons weten: {contact}. Zeg op welke pagina het was en wat er misging.",
            without: "Laat het weten aan de organisatie die je voor de sessie heeft uitgenodigd. Je kunt het ook tegen de begeleider zeggen. Zeg op welke pagina het was en wat er misging.",
        },
        Para(
            "Ben je niet tevreden met het antwoord? Dan kun je naar de Nationale ombudsman, of naar de ombudsman van je gemeente.",
        ),
    ],
};

const EN: Statement = Statement {
    title: "Accessibility statement",
    home: "To the start",
    languages: "Languages",
    parts: &[
        Para(
            "Everyone should be able to take part in a learning session. Also if you see or hear badly. Also if you don't use a mouse, or find reading hard. So we want everyone to be able to use Werkmuur. Here you can read how far we are.",
        ),
        Heading("What does this statement cover?"),
        Para(
            "Every page of Werkmuur on this website: the home page, joining with a code, the session on your phone, the facilitator's console, the projector screen and the page for organisers. Also the reports you can download.",
        ),
        Heading("How accessible is Werkmuur?"),
        Para(
            "Werkmuur partly meets the requirements. They are in the guideline WCAG 2.1, level AA. It applies to every website and app of Dutch public bodies (Besluit digitale toegankelijkheid overheid).",
        ),
        Para(
            "We tested Werkmuur ourselves. No independent expert has examined it yet. That is why we don't yet say that Werkmuur fully meets them.",
        ),
        Heading("How did we test?"),
        List(&[
            "With every change, a test in a real browser (Chromium) goes through whole sessions. Every part of the three draaiboeken is covered.",
            "On every screen, axe-core checks the automatic rules of WCAG 2.1 A and AA. This happens in Dutch, Arabic and Turkish. Not a single error is allowed.",
            "A whole session is run with the keyboard only, on the console and on a phone. At every step you must see where you are.",
            "The phone pages work at 320 pixels wide, like a phone at 200% zoom. Nothing runs off the side.",
            "Buttons on the phone are at least 44 by 44 pixels.",
            "The projector shows everything without scrolling. Its letters are at least 1/60 of the screen's height. If not everything fits, the screen turns to the next page every 10 seconds; the button 'Pause the pages' stops that.",
            "Werkmuur follows the 'reduce motion' setting and Windows' contrast themes.",
            "Arabic runs from right to left. Every participant chooses a language on their own phone.",
        ]),
        Para("Last tested: 3 December 2026."),
        Heading("What doesn't work well yet?"),
        List(&[
            "Nobody has tested Werkmuur with a screen reader yet (such as NVDA or VoiceOver). Nor with people with a disability. We are going to.",
            "Participants write the post-its themselves. We show them as they were written. We don't translate them.",
            "The report as a LibreOffice file and the table of notes have not been tested on their own yet.",
        ]),
        Heading("Did something not work for you?"),
        Contact {
            with: "Let us know: {contact}. Say which page it was and what went wrong.",
            without: "Tell the organisation that invited you to the session. You can also tell the facilitator. Say which page it was and what went wrong.",
        },
        Para(
            "Not happy with the answer? Then you can go to the Nationale ombudsman, or to your municipality's ombudsman.",
        ),
    ],
};

const TR: Statement = Statement {
    title: "Erişilebilirlik beyanı",
    home: "Başa dön",
    languages: "Diller",
    parts: &[
        Para(
            "Herkes bir öğrenme oturumuna katılabilmeli. İyi göremeseniz veya iyi duyamasanız da. Fare kullanmasanız veya okumakta zorlansanız da. Bu yüzden herkesin Werkmuur'u kullanabilmesini istiyoruz. Burada ne kadar yol aldığımızı okuyabilirsiniz.",
        ),
        Heading("Bu beyan neyi kapsıyor?"),
        Para(
            "Bu web sitesindeki tüm Werkmuur sayfalarını: ana sayfa, kodla katılma, telefonunuzdaki oturum, kolaylaştırıcının kontrol ekranı, projeksiyon ekranı ve düzenleyicilerin sayfası. İndirebileceğiniz raporlar da buna dahil.",
        ),
        Heading("Werkmuur ne kadar erişilebilir?"),
        Para(
            "Werkmuur kuralları kısmen karşılıyor. Kurallar WCAG 2.1 yönergesinde, AA düzeyinde. Bu yönerge Hollanda'daki tüm kamu web siteleri ve uygulamaları için geçerli (Besluit digitale toegankelijkheid overheid).",
        ),
        Para(
            "Werkmuur'u kendimiz test ettik. Bağımsız bir uzman henüz incelemedi. Bu yüzden Werkmuur'un kuralları tamamen karşıladığını henüz söylemiyoruz.",
        ),
        Heading("Nasıl test ettik?"),
        List(&[
            "Her değişiklikte gerçek bir tarayıcıda (Chromium) bir test tüm oturumlardan geçer. Üç draaiboek'un her bölümü test edilir.",
            "Her ekranda axe-core, WCAG 2.1 A ve AA'nın otomatik kurallarını kontrol eder. Bu Felemenkçe, Arapça ve Türkçe yapılır. Tek bir hataya bile izin verilmez.",
            "Bütün bir oturum sadece klavyeyle yapılır: kontrol ekranında ve bir telefonda. Her adımda nerede olduğunuzu görmelisiniz.",
            "Telefon sayfaları 320 piksel genişlikte çalışır, %200 yakınlaştırılmış bir telefon gibi. Hiçbir şey yandan taşmaz.",
            "Telefondaki düğmeler en az 44'e 44 pikseldir.",
            "Projeksiyon her şeyi kaydırmadan gösterir. Harfler en az ekran yüksekliğinin 1/60'ı kadardır. Her şey sığmazsa ekran her 10 saniyede bir sonraki sayfaya geçer; 'Sayfaları durdur' düğmesi bunu durdurur.",
            "Werkmuur 'hareketi azalt' ayarına ve Windows'un kontrast temalarına uyar.",
            "Arapça sağdan sola yazılır. Her katılımcı kendi telefonunda dilini kendisi seçer.",
        ]),
        Para("Son test: 3 Aralık 2026."),
        Heading("Henüz iyi çalışmayan ne var?"),
        List(&[
            "Werkmuur henüz bir ekran okuyucuyla (NVDA veya VoiceOver gibi) test edilmedi. Engelli kişilerle de test edilmedi. Bunu yapacağız.",
            "Katılımcılar notları kendileri yazar. Onları yazıldığı gibi gösteririz. Çevirmeyiz.",
            "LibreOffice dosyası olarak rapor ve notlar tablosu henüz ayrıca test edilmedi.",
        ]),
        Heading("Bir sorunla mı karşılaştınız?"),
        Contact {
            with: "Bize bildirin: {contact}. Hangi sayfada olduğunu ve neyin yanlış gittiğini söyleyin.",
            without: "Sizi oturuma davet eden kuruluşa bildirin. Kolaylaştırıcıya da söyleyebilirsiniz. Hangi sayfada olduğunu ve neyin yanlış gittiğini söyleyin.",
        },
        Para(
            "Yanıttan memnun değil misiniz? O zaman Nationale ombudsman'a veya belediyenizin ombudsman'ına başvurabilirsiniz.",
        ),
    ],
};

const AR: Statement = Statement {
    title: "بيان إمكانية الوصول",
    home: "إلى البداية",
    languages: "اللغات",
    parts: &[
        Para(
            "يجب أن يتمكن الجميع من المشاركة في جلسة تعلّم. حتى إذا كان نظرك أو سمعك ضعيفًا. وحتى إذا كنت لا تستخدم الفأرة، أو تجد القراءة صعبة. لذلك نريد أن يستطيع الجميع استخدام Werkmuur. هنا تقرأ إلى أين وصلنا.",
        ),
        Heading("ماذا يشمل هذا البيان؟"),
        Para(
            "كل صفحات Werkmuur على هذا الموقع: الصفحة الرئيسية، والانضمام برمز، والجلسة على هاتفك، وشاشة تحكّم الميسّر، وشاشة العرض، وصفحة المنظّمين. وكذلك التقارير التي يمكنك تنزيلها.",
        ),
        Heading("ما مدى سهولة الوصول إلى Werkmuur؟"),
        Para(
            "يستوفي Werkmuur المتطلبات جزئيًا. المتطلبات موجودة في إرشادات WCAG 2.1، المستوى AA. وهي تسري على كل مواقع وتطبيقات الجهات الحكومية في هولندا (Besluit digitale toegankelijkheid overheid).",
        ),
        Para(
            "اختبرنا Werkmuur بأنفسنا. لم يفحصه خبير مستقل بعد. لذلك لا نقول بعد إن Werkmuur يستوفي المتطلبات كلها.",
        ),
        Heading("كيف اختبرنا؟"),
        List(&[
            "مع كل تغيير، يمرّ اختبار في متصفح حقيقي (Chromium) بجلسات كاملة. ويشمل كل جزء من الـ draaiboeken الثلاثة.",
            "على كل شاشة، يفحص axe-core القواعد الآلية لـ WCAG 2.1 A و AA. يحدث هذا بالهولندية والعربية والتركية. ولا يُسمح بأي خطأ.",
            "تُدار جلسة كاملة بلوحة المفاتيح فقط، على شاشة التحكّم وعلى هاتف. وفي كل خطوة يجب أن ترى أين أنت.",
            "تعمل صفحات الهاتف بعرض 320 بكسل، مثل هاتف بتكبير 200%. لا يخرج شيء من جانب الشاشة.",
            "الأزرار على الهاتف لا تقل عن 44 × 44 بكسل.",
            "تعرض شاشة العرض كل شيء دون تمرير. والحروف لا تقل عن 1/60 من ارتفاع الشاشة. وإذا لم يتسع كل شيء، تنتقل الشاشة إلى الصفحة التالية كل 10 ثوانٍ، ويوقف زر 'إيقاف تقليب الصفحات' ذلك.",
            "يتبع Werkmuur إعداد «تقليل الحركة» وسمات التباين في Windows.",
            "العربية تُكتب من اليمين إلى اليسار. وكل مشارك يختار لغته بنفسه على هاتفه.",
        ]),
        Para("آخر اختبار: 3 ديسمبر 2026."),
        Heading("ما الذي لا يعمل جيدًا بعد؟"),
        List(&[
            "لم يختبر أحد Werkmuur بعد بقارئ شاشة (مثل NVDA أو VoiceOver). ولا مع أشخاص ذوي إعاقة. سنفعل ذلك.",
            "يكتب المشاركون الملاحظات بأنفسهم. نعرضها كما كُتبت. ولا نترجمها.",
            "لم يُختبر بعد التقرير كملف LibreOffice وجدول الملاحظات كلٌّ على حدة.",
        ]),
        Heading("هل واجهت مشكلة؟"),
        Contact {
            with: "أخبرنا: {contact}. قل في أي صفحة كانت المشكلة وما الذي حدث.",
            without: "أخبر الجهة التي دعتك إلى الجلسة. ويمكنك أيضًا أن تخبر الميسّر. قل في أي صفحة كانت المشكلة وما الذي حدث.",
        },
        Para(
            "لست راضيًا عن الرد؟ يمكنك حينها التوجه إلى Nationale ombudsman، أو إلى أمين المظالم في بلديتك.",
        ),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(s: &Statement) -> Vec<String> {
        s.parts
            .iter()
            .map(|p| match p {
                Heading(_) => "h".to_owned(),
                Para(_) => "p".to_owned(),
                List(items) => format!("list of {}", items.len()),
                Contact { with, .. } => {
                    assert!(with.contains("{contact}"));
                    "contact".to_owned()
                }
            })
            .collect()
    }

    #[test]
    fn every_language_says_the_same_parts_in_the_same_order() {
        let dutch = shape(statement(Lang::Nl));
        for &lang in Lang::ALL {
            assert_eq!(shape(statement(lang)), dutch, "{}", lang.code());
        }
    }
}
