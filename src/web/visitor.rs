//! Who is asking: a middleware resolves the session cookie, the CSRF token, the site settings
//! and any flash message once per request, enforces maintenance mode, and leaves a `Visitor`
//! for the handlers. `Me` and `Admin` are extractors that demand a signed-in person.

use axum::{
    extract::{FromRequestParts, Request, State},
    http::{header, request::Parts},
    middleware::Next,
    response::{IntoResponse, Response},
};

use super::{AppState, WebError, client, cookies, error::ErrorWords, views};
use crate::lms::{
    ClientInfo, SessionUser, SiteSettings, User, Zone, permissions,
    sessions::{is_token, random_token},
};

/// Everything a page needs to know about the request's sender.
#[derive(Clone, Debug)]
pub struct Visitor {
    pub me: Option<SessionUser>,
    /// The token every form must echo: the session's, or the anonymous cookie's.
    pub csrf: String,
    pub site: SiteSettings,
    pub flash: Option<String>,
    pub client: ClientInfo,
    /// The request came over HTTPS: cookies get `Secure`.
    pub secure: bool,
    /// The zone this visitor reads and types times in: their own, else the site's.
    pub zone: Zone,
    /// The site's zone before an administrator chooses one (for the settings page).
    pub default_zone: Zone,
    /// The signed-in person's unread notifications (the header's count).
    pub unread: i64,
}

impl Visitor {
    pub fn user(&self) -> Option<&User> {
        self.me.as_ref().map(|m| &m.user)
    }

    /// Whether this visitor may use the API tokens page.
    pub fn may_make_api_tokens(&self) -> bool {
        self.user()
            .is_some_and(|u| permissions::can_make_api_tokens(u.role, self.site.student_api_tokens))
    }

    pub fn is_admin(&self) -> bool {
        self.user()
            .is_some_and(|u| permissions::can_administer_site(u.role))
    }
}

/// Paths that stay open in maintenance mode, so an administrator can sign in.
const OPEN_IN_MAINTENANCE: &[&str] = &["/login", "/logout"];

pub async fn load(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let visitor = match resolve(&state, &parts).await {
        Ok(v) => v,
        Err(e) => return e.into_response(),
    };
    if visitor.site.maintenance_mode
        && !visitor.is_admin()
        && !OPEN_IN_MAINTENANCE.contains(&parts.uri.path())
    {
        return framed(&visitor, WebError::Maintenance.into_response());
    }
    let new_anon_csrf = visitor.me.is_none()
        && cookies::get(&parts.headers, cookies::ANON_CSRF) != Some(&visitor.csrf);
    let had_flash = visitor.flash.is_some();
    let (secure, csrf) = (visitor.secure, visitor.csrf.clone());
    parts.extensions.insert(visitor.clone());
    let response = next.run(Request::from_parts(parts, body)).await;
    let mut response = framed(&visitor, response);
    let headers = response.headers_mut();
    if new_anon_csrf {
        headers.append(
            header::SET_COOKIE,
            cookies::set(cookies::ANON_CSRF, &csrf, None, secure),
        );
    }
    if had_flash
        && !headers
            .get_all(header::SET_COOKIE)
            .iter()
            .any(|c| c.as_bytes().starts_with(cookies::FLASH.as_bytes()))
    {
        headers.append(header::SET_COOKIE, cookies::clear(cookies::FLASH, secure));
    }
    response
}

/// An error page drawn again inside the site's frame for `visitor` (see `ErrorWords`).
fn framed(visitor: &Visitor, mut response: Response) -> Response {
    if let Some(words) = response.extensions_mut().remove::<ErrorWords>() {
        let page = views::framed_error(visitor, words.title, &words.message);
        *response.body_mut() = axum::body::Body::from(page.into_string());
    }
    response
}

async fn resolve(state: &AppState, parts: &Parts) -> Result<Visitor, WebError> {
    let (client, secure) = client::identify(parts, &state.proxies);
    let token = cookies::get(&parts.headers, cookies::SESSION);
    let crate::lms::sessions::Visit { site, me, unread } = state.lms.visit(token).await?;
    let csrf = match &me {
        Some(me) => me.csrf_token.clone(),
        None => cookies::get(&parts.headers, cookies::ANON_CSRF)
            .filter(|t| is_token(t))
            .map_or_else(random_token, str::to_string),
    };
    let site_zone = site.zone(state.lms.default_zone());
    let zone = me
        .as_ref()
        .and_then(|m| m.user.time_zone.as_deref())
        .and_then(Zone::parse)
        .unwrap_or(site_zone);
    let flash = cookies::get(&parts.headers, cookies::FLASH)
        .map(cookies::decode_flash)
        .filter(|f| !f.is_empty());
    Ok(Visitor {
        me,
        csrf,
        site,
        flash,
        client,
        secure,
        zone,
        default_zone: state.lms.default_zone(),
        unread,
    })
}

impl<S: Send + Sync> FromRequestParts<S> for Visitor {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Visitor>()
            .cloned()
            .ok_or_else(|| WebError::Internal("the visitor middleware did not run".into()))
    }
}

/// A signed-in person; anyone else is sent to the sign-in page.
pub struct Me {
    pub user: User,
    pub session: SessionUser,
    pub visitor: Visitor,
}

impl<S: Send + Sync> FromRequestParts<S> for Me {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let visitor = Visitor::from_request_parts(parts, state).await?;
        match visitor.me.clone() {
            Some(session) => Ok(Me {
                user: session.user.clone(),
                session,
                visitor,
            }),
            None => Err(WebError::SignIn {
                next: parts.uri.path().to_string(),
            }),
        }
    }
}

/// A signed-in administrator; to everyone else admin pages do not exist.
pub struct Admin(pub Me);

impl<S: Send + Sync> FromRequestParts<S> for Admin {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let me = Me::from_request_parts(parts, state).await?;
        if permissions::can_administer_site(me.user.role) {
            Ok(Admin(me))
        } else {
            Err(WebError::NotFound)
        }
    }
}
