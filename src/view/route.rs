//! The site's hash routes (`#/`, `#/playground?...`, `#/embed?...`,
//! `#/calibration`, `#/guide`, `#/guide/gil`, `#/guide/references/pep-703`,
//! `#/tutorials`, `#/tutorial/gil-threads`), read as plain data so that the
//! tests can check every link the content makes. Any page may carry a
//! query; `lang=` in it chooses the language.

/// A page.
#[derive(Clone, Debug, PartialEq)]
pub enum Page {
    /// The start page.
    Home,
    /// The playground.
    Playground,
    /// One scenario for a slide.
    Embed,
    /// The profile and the accuracy report.
    Calibration,
    /// The guide's chapter list.
    Guide,
    /// A chapter, and a heading or reference anchor in it.
    Chapter {
        /// The chapter's slug.
        slug: String,
        /// A heading's anchor, or in the references chapter a reference id.
        anchor: Option<String>,
    },
    /// The tutorials' lesson list.
    Tutorials,
    /// A lesson.
    Lesson(String),
    /// Nothing lives here (the path, shortened).
    NotFound(String),
}

/// A page and its query (after `?`, undecoded).
#[derive(Clone, Debug, PartialEq)]
pub struct Route {
    /// The page.
    pub page: Page,
    /// Its query.
    pub query: String,
}

fn segment(s: &str) -> Option<String> {
    (!s.is_empty()
        && s.len() <= 80
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
    .then(|| s.to_string())
}

/// Read a location hash (`#/playground?cores=4`). `None` for an in-page
/// anchor such as `#main`, which is not a route.
pub fn parse(hash: &str) -> Option<Route> {
    let h = hash.strip_prefix('#').unwrap_or(hash);
    if !(h.is_empty() || h.starts_with('/')) {
        return None;
    }
    let (path, q) = h.split_once('?').unwrap_or((h, ""));
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    let page = match parts.as_slice() {
        [""] => Page::Home,
        ["playground"] => Page::Playground,
        ["embed"] => Page::Embed,
        ["calibration"] => Page::Calibration,
        ["guide"] => Page::Guide,
        ["tutorials"] => Page::Tutorials,
        ["guide", slug] if segment(slug).is_some() => Page::Chapter {
            slug: slug.to_string(),
            anchor: None,
        },
        ["guide", slug, anchor] if segment(slug).is_some() && segment(anchor).is_some() => {
            Page::Chapter {
                slug: slug.to_string(),
                anchor: Some(anchor.to_string()),
            }
        }
        ["tutorial", slug] if segment(slug).is_some() => Page::Lesson(slug.to_string()),
        _ => Page::NotFound(path.chars().take(80).collect()),
    };
    Some(Route {
        page,
        query: q.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(h: &str) -> Page {
        parse(h).unwrap().page
    }

    #[test]
    fn reads_every_page() {
        assert_eq!(page("#/"), Page::Home);
        assert_eq!(page(""), Page::Home);
        assert_eq!(page("#/playground?cores=4"), Page::Playground);
        assert_eq!(parse("#/playground?cores=4").unwrap().query, "cores=4");
        assert_eq!(page("#/embed"), Page::Embed);
        assert_eq!(page("#/calibration/"), Page::Calibration);
        assert_eq!(page("#/guide"), Page::Guide);
        assert_eq!(
            page("#/guide/gil?lang=ja"),
            Page::Chapter {
                slug: "gil".into(),
                anchor: None
            }
        );
        assert_eq!(
            page("#/guide/references/pep-703"),
            Page::Chapter {
                slug: "references".into(),
                anchor: Some("pep-703".into())
            }
        );
        assert_eq!(page("#/tutorials"), Page::Tutorials);
        assert_eq!(
            page("#/tutorial/gil-threads"),
            Page::Lesson("gil-threads".into())
        );
        assert!(parse("#main").is_none());
    }

    #[test]
    fn odd_paths_are_not_found() {
        for h in [
            "#/nowhere",
            "#/guide/a/b/c",
            "#/guide/<script>",
            "#/tutorial/",
            "#//x",
        ] {
            assert!(
                matches!(page(h), Page::NotFound(_) | Page::Tutorials),
                "{h}"
            );
        }
        assert!(matches!(page("#/tutorial/"), Page::NotFound(_)));
        let long = format!("#/{}", "x".repeat(10_000));
        match page(&long) {
            Page::NotFound(p) => assert_eq!(p.chars().count(), 80),
            other => panic!("{other:?}"),
        }
    }
}
