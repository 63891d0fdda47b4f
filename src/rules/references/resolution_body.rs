use super::{label, majority, stated_body, NumberTexts};
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::extract::references::{BodySource, RefNumber};
use crate::rules::{Context, CorpusEntry, Rule};
use std::collections::BTreeMap;
use std::rc::Rc;

declare_rule! {
    /// ## What it checks
    /// The same resolution or decision number attributed to two different bodies in one
    /// document, or in the files checked together (« résolution 65/230 de l'Assemblée
    /// générale » here, « résolution 65/230 de la Commission » there); and a number whose
    /// shape cannot belong to the body named with it: a year-numbered 2016/241 attributed to
    /// the General Assembly, a session-numbered 65/230 attributed to the Security Council, or a
    /// session the body would hold more than five years after the latest year the document
    /// mentions (74/173 attributed to the Commission on Crime Prevention and Criminal Justice).
    ///
    /// ## Why it matters
    /// The number alone does not identify a text: 26/4 of the Commission on Crime Prevention
    /// and Criminal Justice and 26/4 of another body are different texts. A wrong body sends
    /// the reader to the wrong document.
    ///
    /// ## Example
    /// ```text
    /// la résolution 2016/241 de l'Assemblée générale
    ///               ^^^^^^^^ the General Assembly numbers its texts by session (73/187)
    /// ```
    ///
    /// ## Configuration
    /// No options. Bodies, their names and how they number texts are data in
    /// `[[references.bodies]]`. The attribution that most citations share is taken as right;
    /// the others are reported with a label on it.
    pub struct ResolutionBody = "references/resolution-body", Severity::Warning;
}

impl Rule for ResolutionBody {
    crate::rule_meta!();

    fn check_corpus(&self, docs: &[CorpusEntry], ctx: &Context, out: &mut Vec<Diagnostic>) {
        let cfg = &ctx.config.references;
        // (kind, number) -> [(doc index, ref index, body id)]
        type Cites<'a> = Vec<(usize, usize, &'a str)>;
        let mut groups: BTreeMap<(u8, Rc<str>), Cites> = BTreeMap::new();
        let mut texts = NumberTexts::default();
        for (di, e) in docs.iter().enumerate() {
            let refs = e.doc.references(ctx.config);
            for (ri, r) in refs.resolutions.iter().enumerate() {
                let Some(b) = stated_body(r) else { continue };
                let Some(body) = cfg.body(&b.id) else {
                    continue;
                };
                // shape
                let shape_problem = if r.number.numbering() != body.numbering {
                    Some(match body.numbering {
                        crate::extract::references::Numbering::Session => format!(
                            "the {} numbers its texts by session (such as 73/187), not like {}",
                            body.name,
                            r.number.text()
                        ),
                        crate::extract::references::Numbering::Year => format!(
                            "the {} numbers its texts by year (such as 2016/241), not like {}",
                            body.name,
                            r.number.text()
                        ),
                        crate::extract::references::Numbering::ParenYear => format!(
                            "the {} numbers its texts with the year in parentheses (such as 2341 (2017)), not like {}",
                            body.name,
                            r.number.text()
                        ),
                    })
                } else if let (RefNumber::Session { session, .. }, Some(latest)) =
                    (&r.number, refs.latest_year)
                {
                    body.session_years(*session)
                        .filter(|ys| *ys.start() > latest + 5)
                        .map(|ys| {
                            format!(
                                "session {session} of the {} would not meet before {}",
                                body.name,
                                ys.start()
                            )
                        })
                } else {
                    None
                };
                if let Some(msg) = shape_problem {
                    let mut d = Diagnostic::new(
                        Self::ID,
                        r.span.clone(),
                        format!("{} cannot be a text of the {}: {msg}", label(r), body.name),
                    )
                    .with_help("check the number and the body against the official text");
                    if let Some(sp) = &b.span {
                        d = d.with_label(sp.clone(), "body named here");
                    }
                    d.path = e.path.into();
                    out.push(d);
                    continue;
                }
                let kind = match r.kind {
                    crate::extract::references::RefKind::Resolution => 0,
                    crate::extract::references::RefKind::Decision => 1,
                };
                groups
                    .entry((kind, texts.get(&r.number)))
                    .or_default()
                    .push((di, ri, b.id.as_str()));
            }
        }
        for cites in groups.values() {
            let bodies: Vec<&str> = cites.iter().map(|c| c.2).collect();
            let (mi, _) = majority(&bodies);
            let major = bodies[mi];
            if bodies.iter().all(|b| *b == major) {
                continue;
            }
            let (mdi, mri, _) = &cites[mi];
            let mref = &docs[*mdi].doc.references(ctx.config).resolutions[*mri];
            for (di, ri, id) in cites {
                if *id == major {
                    continue;
                }
                let r = &docs[*di].doc.references(ctx.config).resolutions[*ri];
                // a body inferred from an earlier subject is too weak to contradict others
                if r.body
                    .as_ref()
                    .is_some_and(|b| b.source == BodySource::SubjectBefore)
                {
                    continue;
                }
                let mut d = Diagnostic::new(
                    Self::ID,
                    r.body
                        .as_ref()
                        .and_then(|b| b.span.clone())
                        .unwrap_or(r.span.clone()),
                    format!(
                        "{} is attributed to the {} here but to the {} elsewhere",
                        label(r),
                        cfg.body_name(id),
                        cfg.body_name(major)
                    ),
                )
                .with_help(format!(
                    "check which body adopted {}; cite it the same way throughout",
                    label(r)
                ));
                d = d.with_label(r.span.clone(), "this number");
                let msg = format!("attributed to the {} here", cfg.body_name(major));
                let lspan = mref
                    .body
                    .as_ref()
                    .and_then(|b| b.span.clone())
                    .unwrap_or(mref.span.clone());
                if mdi == di {
                    d = d.with_label(lspan, msg);
                } else {
                    d = d.with_label_in(docs[*mdi].path.clone(), lspan, msg);
                }
                d.path = docs[*di].path.into();
                out.push(d);
            }
        }
    }
}
