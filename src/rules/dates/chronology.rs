use super::show_mention;
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;
use crate::extract::dates::{DocDateSource, Tense};
use crate::rules::{Context, Rule};

declare_rule! {
    /// ## What it checks
    /// A past event dated after the document's own date: the date line of the header
    /// (« 12 avril 2019 »), or else the séance at which the report was adopted. A date counts
    /// as a past event when a past-event phrase stands next to it (« a tenu sa réunion … »,
    /// « s'est tenue », « adoptée le », "was held") or when it is a séance's date. Sentences
    /// that announce plans (« qui se tiendra », « devrait se tenir », "will be held",
    /// "is scheduled") are never reported.
    ///
    /// ## Why it matters
    /// A report cannot narrate what had not happened when it was issued: the year or the month
    /// of the event, or of the document, is mistyped.
    ///
    /// ## Example
    /// ```text
    /// Distr. générale
    /// 12 avril 2019
    /// …
    /// 7. Le Groupe d'experts a tenu sa quatrième réunion à Vienne, du 3 au 5 avril 2020  <- after the document
    /// ```
    ///
    /// ## Configuration
    /// No options. The phrases are `past_markers` and `future_markers` under `[dates]`
    /// (`rules/dates.toml`); a user configuration can add to them.
    pub struct DateChronology = "dates/chronology", Severity::Warning;
}

impl Rule for DateChronology {
    crate::rule_meta!();

    fn check(&self, doc: &Document, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let dates = doc.dates(ctx.config);
        let Some(dd) = &dates.document_date else {
            return;
        };
        let own = &dates.mentions[dd.mention];
        let Some(own_day) = own.last().day_number() else {
            return;
        };
        let Some((oy, om, _)) = own.last().full() else {
            return;
        };
        for (i, m) in dates.mentions.iter().enumerate() {
            if i == dd.mention {
                continue;
            }
            if doc
                .header
                .date
                .as_ref()
                .is_some_and(|h| h.contains(&m.span.start))
            {
                continue;
            }
            let after = if let Some(d) = m.start.day_number() {
                d > own_day
            } else if let (Some(y), Some(mo)) = (m.start.year, m.start.month) {
                (y, mo) > (oy, om)
            } else {
                false
            };
            // The tense last: it is searched for when asked.
            if !after || doc.date_tense(ctx.config, i) != Tense::Past {
                continue;
            }
            let whence = match dd.source {
                DocDateSource::Header => "the document's date",
                DocDateSource::Adoption => "the séance that adopted the report",
            };
            out.push(
                Diagnostic::new(
                    Self::ID,
                    m.span.clone(),
                    format!(
                        "a past event is dated {}, after {whence} ({})",
                        show_mention(m, doc.lang),
                        show_mention(own, doc.lang)
                    ),
                )
                .with_label(own.span.clone(), whence.to_string())
                .with_help("check the year and month of this date, or of the document"),
            );
        }
    }
}
