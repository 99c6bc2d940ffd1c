/* ows-connectivity.c: "is the internet up", from GNetworkMonitor and an HTTP probe.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Upstream's watchdog polled nmcli every 30 s for ever. Here the network
 * monitor wakes us: a probe runs when the network changes, and on a timer
 * only while the verdict is not "online" (time_between_checks) or, online,
 * once in SAFETY_RECHECK_S for what a monitor cannot see (a portal session
 * that expired, an upstream that died behind the router).
 *
 * A probe: GET captive_portal_url without following redirects. 2xx with
 * captive_portal_text in the body is online; a redirect, or any other answer
 * from the network, is a captive portal (it intercepted the request). When
 * that URL cannot be reached (no connection, timeout, its server failing
 * with 5xx), web_url and then web_url_secondary are tried: any 2xx is online.
 * When nothing answers, the monitor tells "a network without internet" from
 * "no network".
 */
#define G_LOG_DOMAIN "ows-connectivity"
#define _GNU_SOURCE  /* memmem: a sign-in page may hold NUL bytes */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "ows-connectivity-private.h"
#include "ows-enums.h"

#define DEFAULT_PROBE_TIMEOUT_MS 5000
#define SAFETY_RECHECK_S         (10 * 60)
/* A network change comes in bursts (link, address, route, DNS): probe once
 * it has settled, but never later than a periodic check would have. */
#define SETTLE_MS                1000
/* Enough for a portal's sign-in page; the check text is a line. */
#define BODY_MAX                 (64 * 1024)
/* RFC 6585's "Network Authentication Required", which libsoup 3.2 does not name. */
#define STATUS_NETWORK_AUTHENTICATION_REQUIRED 511

#define DEFAULT_GRACE_PERIOD_S        45.0
#define DEFAULT_TIME_BETWEEN_CHECKS_S 30.0

static const char *const probe_keys[] = { "captive_portal_url", "web_url", "web_url_secondary" };

typedef struct
{
  OwsConnectivity *self;      /* NULL once the probe was abandoned */
  GCancellable *cancellable;
  guint timeout_id;
  guint idle_id;
  guint step;                 /* index into probe_keys */
  char *url;
  SoupMessage *message;
  GInputStream *stream;
  guint8 *body;
  gboolean requested;         /* report even during the grace period */
  gboolean again;             /* asked for while in flight: its answer may predate the question */
} Probe;

struct _OwsConnectivity
{
  GObject parent_instance;

  OwsConfig *config;
  GNetworkMonitor *monitor;
  SoupSession *session;

  OwsConnectivityState state;
  char *portal_uri;

  gboolean running;
  gboolean started;           /* the grace period belongs to the first start only */
  gboolean in_grace;          /* verdicts other than online wait until it ends */
  guint grace_id;
  guint recheck_id;
  guint settle_id;

  Probe *probe;               /* the one probe in flight, or NULL */
  guint probe_count;
  guint probe_timeout_ms;
  guint interval_ms;          /* time_between_checks */
};

G_DEFINE_FINAL_TYPE (OwsConnectivity, ows_connectivity, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_PORTAL_URI,
  PROP_RUNNING,
  N_PROPS
};

enum {
  CHECKED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void start_probe (OwsConnectivity *self,
                         gboolean         requested);

const char *
ows_connectivity_state_to_string (OwsConnectivityState state)
{
  /* The wire spelling of PROTOCOL.md section 4. */
  switch (state)
    {
    case OWS_CONNECTIVITY_OFFLINE:
      return "offline";
    case OWS_CONNECTIVITY_NETWORK:
      return "network";
    case OWS_CONNECTIVITY_PORTAL:
      return "portal";
    case OWS_CONNECTIVITY_ONLINE:
      return "online";
    case OWS_CONNECTIVITY_UNKNOWN:
    default:
      return "unknown";
    }
}

/* Seconds from the plugin's section, read once per start. A value that is
 * not a positive number would mean "probe without pause": upstream's then. */
static guint
config_ms (OwsConnectivity *self,
           const char      *key,
           double           fallback_s)
{
  double seconds = ows_config_get_double (self->config, OWS_CONFIG_PLUGIN_SECTION, key, fallback_s);

  if (!(seconds > 0 && seconds < G_MAXUINT / 1000.0))
    {
      g_warning ("mycroft.conf: %s must be a positive number of seconds; using %g",
                 key, fallback_s);
      seconds = fallback_s;
    }
  return MAX ((guint) (seconds * 1000), 1);
}

/* Probes */

static void
probe_free (Probe *probe)
{
  g_clear_handle_id (&probe->timeout_id, g_source_remove);
  g_clear_handle_id (&probe->idle_id, g_source_remove);
  g_clear_object (&probe->cancellable);
  g_clear_object (&probe->message);
  g_clear_object (&probe->stream);
  g_free (probe->body);
  g_free (probe->url);
  g_free (probe);
}

/* The probe in flight stops counting: its callbacks still run (libsoup
 * owes them) and free it. */
static void
abandon_probe (OwsConnectivity *self)
{
  Probe *probe = g_steal_pointer (&self->probe);

  if (probe == NULL)
    return;
  probe->self = NULL;
  g_clear_handle_id (&probe->timeout_id, g_source_remove);
  if (probe->idle_id != 0)
    probe_free (probe);
  else
    g_cancellable_cancel (probe->cancellable);
}

static void
schedule_recheck (OwsConnectivity *self);

static void
set_state (OwsConnectivity      *self,
           OwsConnectivityState  state,
           const char           *portal_uri)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (g_strcmp0 (self->portal_uri, portal_uri) != 0)
    {
      g_free (self->portal_uri);
      self->portal_uri = g_strdup (portal_uri);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORTAL_URI]);
    }
  if (self->state != state)
    {
      self->state = state;
      if (state == OWS_CONNECTIVITY_PORTAL)
        g_message ("This network needs you to sign in at %s", portal_uri);
      else if (state == OWS_CONNECTIVITY_NETWORK)
        g_message ("Connected to a network, but the internet cannot be reached");
      else
        g_debug ("connectivity: %s", ows_connectivity_state_to_string (state));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
report (OwsConnectivity      *self,
        OwsConnectivityState  state,
        const char           *portal_uri,
        gboolean              requested)
{
  OwsConnectivityState previous;

  if (self->in_grace && state != OWS_CONNECTIVITY_ONLINE && !requested)
    {
      g_debug ("%s during the grace period: not told yet",
               ows_connectivity_state_to_string (state));
      schedule_recheck (self);
      return;
    }
  if (state == OWS_CONNECTIVITY_ONLINE)
    {
      self->in_grace = FALSE;
      g_clear_handle_id (&self->grace_id, g_source_remove);
    }

  previous = self->state;
  set_state (self, state, state == OWS_CONNECTIVITY_PORTAL ? portal_uri : NULL);
  schedule_recheck (self);
  g_signal_emit (self, signals[CHECKED], 0, state, previous);
}

/* Ends the probe in flight with a verdict. */
static void
probe_done (Probe                *probe,
            OwsConnectivityState  state,
            const char           *portal_uri)
{
  OwsConnectivity *self = probe->self;
  gboolean requested = probe->requested;

  g_assert (self != NULL && self->probe == probe);
  self->probe = NULL;
  if (probe->again)
    {
      probe_free (probe);
      start_probe (self, requested);
      return;
    }
  report (self, state, portal_uri, requested);
  probe_free (probe);
}

/* Nothing answered: the monitor knows whether there is a network at all. */
static void
probe_unanswered (Probe *probe)
{
  GNetworkMonitor *monitor = probe->self->monitor;
  GNetworkConnectivity connectivity = g_network_monitor_get_connectivity (monitor);
  const char *check_url = ows_config_get_string (probe->self->config, "network_tests",
                                                 probe_keys[0], NULL);

  if (connectivity == G_NETWORK_CONNECTIVITY_PORTAL)
    probe_done (probe, OWS_CONNECTIVITY_PORTAL, check_url);
  else if (!g_network_monitor_get_network_available (monitor) ||
           connectivity == G_NETWORK_CONNECTIVITY_LOCAL)
    probe_done (probe, OWS_CONNECTIVITY_OFFLINE, NULL);
  else
    probe_done (probe, OWS_CONNECTIVITY_NETWORK, NULL);
}

/* Where a browser should go to sign in: the redirect's target when it is a
 * web address, else the address the portal intercepted. Anything else a
 * network can say (file:, a helper's scheme) never reaches gtk_show_uri. */
static char *
portal_address (Probe *probe)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (probe->message);
  const char *location = soup_message_headers_get_one (headers, "Location");
  g_autofree char *resolved = NULL;
  g_autofree char *scheme = NULL;

  if (location != NULL)
    resolved = g_uri_resolve_relative (probe->url, location, G_URI_FLAGS_NONE, NULL);
  if (resolved != NULL)
    scheme = g_uri_parse_scheme (resolved);
  if (scheme != NULL && (g_ascii_strcasecmp (scheme, "http") == 0 ||
                         g_ascii_strcasecmp (scheme, "https") == 0))
    return g_steal_pointer (&resolved);
  return g_strdup (probe->url);
}

static void send_step (Probe *probe);

static gboolean
unanswered_idle_cb (gpointer user_data)
{
  Probe *probe = user_data;

  probe->idle_id = 0;
  probe_unanswered (probe);
  return G_SOURCE_REMOVE;
}

static void
next_step (Probe *probe)
{
  g_clear_handle_id (&probe->timeout_id, g_source_remove);
  g_clear_object (&probe->cancellable);
  g_clear_object (&probe->message);
  g_clear_object (&probe->stream);
  g_clear_pointer (&probe->url, g_free);
  probe->step++;
  send_step (probe);
}

static void
body_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Probe *probe = user_data;
  g_autoptr(GError) error = NULL;
  gsize n_read = 0;
  const char *text;

  g_input_stream_read_all_finish (G_INPUT_STREAM (source), result, &n_read, &error);
  if (probe->self == NULL)
    {
      probe_free (probe);
      return;
    }
  if (error != NULL)
    {
      g_debug ("%s: the answer broke off: %s", probe->url, error->message);
      next_step (probe);
      return;
    }

  text = ows_config_get_string (probe->self->config, "network_tests", "captive_portal_text", "");
  if (memmem (probe->body, n_read, text, strlen (text)) != NULL)
    {
      probe_done (probe, OWS_CONNECTIVITY_ONLINE, NULL);
    }
  else
    {
      g_autofree char *address = portal_address (probe);

      g_debug ("%s answered without the expected text: a captive portal", probe->url);
      probe_done (probe, OWS_CONNECTIVITY_PORTAL, address);
    }
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Probe *probe = user_data;
  g_autoptr(GError) error = NULL;
  guint status;

  probe->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (probe->self == NULL)
    {
      probe_free (probe);
      return;
    }
  if (probe->stream == NULL)
    {
      g_debug ("%s: %s", probe->url,
               g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? "timed out" : error->message);
      next_step (probe);
      return;
    }

  status = soup_message_get_status (probe->message);
  g_debug ("%s: HTTP %u", probe->url, status);

  if (probe->step > 0)
    {
      /* A fallback: redirects were followed, any success will do. */
      if (SOUP_STATUS_IS_SUCCESSFUL (status))
        probe_done (probe, OWS_CONNECTIVITY_ONLINE, NULL);
      else
        next_step (probe);
      return;
    }

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      probe->body = g_malloc (BODY_MAX);
      g_input_stream_read_all_async (probe->stream, probe->body, BODY_MAX, G_PRIORITY_DEFAULT,
                                     probe->cancellable, body_cb, probe);
    }
  else if (status >= 500 && status != STATUS_NETWORK_AUTHENTICATION_REQUIRED)
    {
      /* The check server itself is failing: that says nothing about us. */
      next_step (probe);
    }
  else
    {
      g_autofree char *address = portal_address (probe);

      probe_done (probe, OWS_CONNECTIVITY_PORTAL, address);
    }
}

static gboolean
probe_timeout_cb (gpointer user_data)
{
  Probe *probe = user_data;

  probe->timeout_id = 0;
  g_cancellable_cancel (probe->cancellable);
  return G_SOURCE_REMOVE;
}

static void
send_step (Probe *probe)
{
  OwsConnectivity *self = probe->self;
  SoupMessageFlags flags = SOUP_MESSAGE_NEW_CONNECTION;

  for (; probe->step < G_N_ELEMENTS (probe_keys); probe->step++)
    {
      const char *url = ows_config_get_string (self->config, "network_tests",
                                               probe_keys[probe->step], NULL);

      if (url == NULL || *url == '\0')
        continue;
      probe->message = soup_message_new (SOUP_METHOD_GET, url);
      if (probe->message != NULL)
        {
          probe->url = g_strdup (url);
          break;
        }
      g_debug ("network_tests.%s is not an HTTP address: %s", probe_keys[probe->step], url);
    }

  if (probe->message == NULL)
    {
      /* Nothing to ask: from an idle, for send_step may run inside start_probe. */
      probe->idle_id = g_idle_add (unanswered_idle_cb, probe);
      return;
    }

  /* A fresh connection through whatever network we have now, closed after
   * the answer, so that no pooled connection lingers with a timer. */
  if (probe->step == 0)
    flags |= SOUP_MESSAGE_NO_REDIRECT;
  soup_message_set_flags (probe->message, flags);
  soup_message_headers_replace (soup_message_get_request_headers (probe->message),
                                "Connection", "close");

  self->probe_count++;
  probe->cancellable = g_cancellable_new ();
  probe->timeout_id = g_timeout_add (self->probe_timeout_ms, probe_timeout_cb, probe);
  soup_session_send_async (self->session, probe->message, G_PRIORITY_DEFAULT,
                           probe->cancellable, sent_cb, probe);
}


static void
start_probe (OwsConnectivity *self,
             gboolean         requested)
{
  Probe *probe;

  /* One in flight, and at most one more after it, however often asked. */
  if (self->probe != NULL)
    {
      self->probe->requested |= requested;
      self->probe->again |= requested;
      return;
    }

  probe = g_new0 (Probe, 1);
  probe->self = self;
  probe->requested = requested;
  self->probe = probe;

  /* No network at all: no need to ask one. Said from an idle all the same,
   * so a verdict never arrives inside the call that asked for it. */
  if (!g_network_monitor_get_network_available (self->monitor))
    probe->idle_id = g_idle_add (unanswered_idle_cb, probe);
  else
    send_step (probe);
}

/* Timers, all of them */

static gboolean
recheck_cb (gpointer user_data)
{
  OwsConnectivity *self = user_data;

  self->recheck_id = 0;
  start_probe (self, FALSE);
  return G_SOURCE_REMOVE;
}

static void
schedule_recheck (OwsConnectivity *self)
{
  g_clear_handle_id (&self->recheck_id, g_source_remove);
  if (!self->running)
    return;

  if (self->state == OWS_CONNECTIVITY_ONLINE)
    self->recheck_id = g_timeout_add_seconds (SAFETY_RECHECK_S, recheck_cb, self);
  else
    self->recheck_id = g_timeout_add (self->interval_ms, recheck_cb, self);
}

static gboolean
grace_cb (gpointer user_data)
{
  OwsConnectivity *self = user_data;

  self->grace_id = 0;
  self->in_grace = FALSE;
  g_debug ("the grace period is over");
  start_probe (self, FALSE);
  return G_SOURCE_REMOVE;
}

static gboolean
settle_cb (gpointer user_data)
{
  OwsConnectivity *self = user_data;
  gboolean requested = self->probe != NULL && self->probe->requested;

  self->settle_id = 0;
  /* An answer from before the change says nothing about the network now. */
  abandon_probe (self);
  start_probe (self, requested);
  return G_SOURCE_REMOVE;
}

static void
network_changed_cb (OwsConnectivity *self)
{
  g_debug ("the network changed (available: %d)",
           g_network_monitor_get_network_available (self->monitor));
  g_clear_handle_id (&self->settle_id, g_source_remove);
  self->settle_id = g_timeout_add (MIN (SETTLE_MS, self->interval_ms), settle_cb, self);
}

/* GObject */

static void
ows_connectivity_dispose (GObject *object)
{
  OwsConnectivity *self = OWS_CONNECTIVITY (object);

  ows_connectivity_stop (self);
  abandon_probe (self);
  g_clear_object (&self->session);
  g_clear_object (&self->monitor);
  g_clear_object (&self->config);

  G_OBJECT_CLASS (ows_connectivity_parent_class)->dispose (object);
}

static void
ows_connectivity_finalize (GObject *object)
{
  g_free (OWS_CONNECTIVITY (object)->portal_uri);

  G_OBJECT_CLASS (ows_connectivity_parent_class)->finalize (object);
}

static void
ows_connectivity_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  OwsConnectivity *self = OWS_CONNECTIVITY (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_PORTAL_URI:
      g_value_set_string (value, self->portal_uri);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ows_connectivity_class_init (OwsConnectivityClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = ows_connectivity_dispose;
  object_class->finalize = ows_connectivity_finalize;
  object_class->get_property = ows_connectivity_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, OWS_TYPE_CONNECTIVITY_STATE,
                       OWS_CONNECTIVITY_UNKNOWN, ro);
  /* Where to sign in, while the state is "portal". */
  properties[PROP_PORTAL_URI] =
    g_param_spec_string ("portal-uri", NULL, NULL, NULL, ro);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Every verdict, changed or not ("still offline" matters to the manager),
   * with the state it replaced: "came up" is a change from not online. */
  signals[CHECKED] = g_signal_new ("checked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                   OWS_TYPE_CONNECTIVITY_STATE, OWS_TYPE_CONNECTIVITY_STATE);
}

/* The proxies the environment names, as curl and upstream's requests use
 * them; NULL (direct) when it names none. GIO's default resolver would
 * load libproxy, and the C++ runtime with it (2.6 MiB resident), to read
 * desktop settings that a device does not have. */
static GProxyResolver *
proxy_resolver_from_environment (void)
{
  /* Lower case only for http, as curl does: a CGI-style HTTP_PROXY can
   * come from a request header. */
  const char *http = g_getenv ("http_proxy");
  const char *https = g_getenv ("https_proxy") ? g_getenv ("https_proxy") : g_getenv ("HTTPS_PROXY");
  const char *no_proxy = g_getenv ("no_proxy") ? g_getenv ("no_proxy") : g_getenv ("NO_PROXY");
  g_auto(GStrv) ignore = NULL;
  GProxyResolver *resolver;

  if ((http == NULL || *http == '\0') && (https == NULL || *https == '\0'))
    return NULL;
  if (g_strcmp0 (no_proxy, "*") == 0)
    return NULL;

  /* no_proxy's "example.com, .example.com, 10.0.0.0/8" is GIO's ignore-hosts syntax. */
  ignore = g_strsplit (no_proxy ? no_proxy : "", ",", -1);
  for (char **host = ignore; *host != NULL; host++)
    g_strstrip (*host);
  resolver = g_simple_proxy_resolver_new (NULL, ignore);
  if (http != NULL && *http != '\0')
    g_simple_proxy_resolver_set_uri_proxy (G_SIMPLE_PROXY_RESOLVER (resolver), "http", http);
  if (https != NULL && *https != '\0')
    g_simple_proxy_resolver_set_uri_proxy (G_SIMPLE_PROXY_RESOLVER (resolver), "https", https);
  return resolver;
}

static void
ows_connectivity_init (OwsConnectivity *self)
{
  g_autoptr(GProxyResolver) resolver = proxy_resolver_from_environment ();

  self->probe_timeout_ms = DEFAULT_PROBE_TIMEOUT_MS;
  self->session = soup_session_new_with_options ("user-agent", "ovos-wifi-setup/" PACKAGE_VERSION,
                                                 "proxy-resolver", resolver,
                                                 NULL);
}

/* @monitor: NULL for GIO's own (NetworkManager's verdict where it runs,
 * the kernel's routes otherwise). */
OwsConnectivity *
ows_connectivity_new (OwsConfig       *config,
                      GNetworkMonitor *monitor)
{
  OwsConnectivity *self;

  g_return_val_if_fail (OWS_IS_CONFIG (config), NULL);
  g_return_val_if_fail (monitor == NULL || G_IS_NETWORK_MONITOR (monitor), NULL);

  self = g_object_new (OWS_TYPE_CONNECTIVITY, NULL);
  self->config = g_object_ref (config);
  self->monitor = g_object_ref (monitor ? monitor : g_network_monitor_get_default ());
  return self;
}

/* Watches until stopped. On the first start, a network that is already up
 * (or any network on a first boot) gets grace_period seconds to reach the
 * internet before a verdict other than online is told. */
void
ows_connectivity_start (OwsConnectivity *self)
{
  g_return_if_fail (OWS_IS_CONNECTIVITY (self));

  if (self->running)
    return;
  self->running = TRUE;
  self->interval_ms = config_ms (self, "time_between_checks", DEFAULT_TIME_BETWEEN_CHECKS_S);
  g_signal_connect_object (self->monitor, "network-changed",
                           G_CALLBACK (network_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->monitor, "notify::connectivity",
                           G_CALLBACK (network_changed_cb), self, G_CONNECT_SWAPPED);

  if (!self->started)
    {
      gboolean first_boot = ows_config_get_boolean (self->config, OWS_CONFIG_PLUGIN_SECTION,
                                                    "first_boot", TRUE);
      /* "grace_period": 0 is a device maker saying "no grace". */
      double grace_s = ows_config_get_double (self->config, OWS_CONFIG_PLUGIN_SECTION,
                                              "grace_period", DEFAULT_GRACE_PERIOD_S);

      self->started = TRUE;
      if (grace_s != 0 && (first_boot || g_network_monitor_get_network_available (self->monitor)))
        {
          guint grace_ms = config_ms (self, "grace_period", DEFAULT_GRACE_PERIOD_S);

          self->in_grace = TRUE;
          self->grace_id = g_timeout_add (grace_ms, grace_cb, self);
          g_debug ("a grace period of %u ms", grace_ms);
        }
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  start_probe (self, FALSE);
}

/* No more timers and no more probes of our own; a probe in flight, or one
 * asked for with ows_connectivity_check(), still reports. */
void
ows_connectivity_stop (OwsConnectivity *self)
{
  g_return_if_fail (OWS_IS_CONNECTIVITY (self));

  if (!self->running)
    return;
  self->running = FALSE;
  self->in_grace = FALSE;
  g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_handle_id (&self->grace_id, g_source_remove);
  g_clear_handle_id (&self->recheck_id, g_source_remove);
  g_clear_handle_id (&self->settle_id, g_source_remove);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

gboolean
ows_connectivity_is_running (OwsConnectivity *self)
{
  g_return_val_if_fail (OWS_IS_CONNECTIVITY (self), FALSE);
  return self->running;
}

/* Probes now, running or not, and reports whatever it finds ("checked"),
 * grace period or not. With a probe in flight, a new one follows it. */
void
ows_connectivity_check (OwsConnectivity *self)
{
  g_return_if_fail (OWS_IS_CONNECTIVITY (self));
  start_probe (self, TRUE);
}

/* A peer says the internet is up (mycroft.internet.connected): believed,
 * so that every reader agrees, until a probe says otherwise. Nothing is
 * reported: the one who was told acts on it. */
void
ows_connectivity_assume_online (OwsConnectivity *self)
{
  g_return_if_fail (OWS_IS_CONNECTIVITY (self));

  self->in_grace = FALSE;
  g_clear_handle_id (&self->grace_id, g_source_remove);
  set_state (self, OWS_CONNECTIVITY_ONLINE, NULL);
  schedule_recheck (self);
}

OwsConnectivityState
ows_connectivity_get_state (OwsConnectivity *self)
{
  g_return_val_if_fail (OWS_IS_CONNECTIVITY (self), OWS_CONNECTIVITY_UNKNOWN);
  return self->state;
}

const char *
ows_connectivity_get_portal_uri (OwsConnectivity *self)
{
  g_return_val_if_fail (OWS_IS_CONNECTIVITY (self), NULL);
  return self->portal_uri;
}

/* HTTP requests sent so far: what the idle benchmark counts. */
guint
ows_connectivity_get_probe_count (OwsConnectivity *self)
{
  g_return_val_if_fail (OWS_IS_CONNECTIVITY (self), 0);
  return self->probe_count;
}

/* Per request; tests shorten it. */
void
ows_connectivity_set_probe_timeout (OwsConnectivity *self,
                                    guint            timeout_ms)
{
  g_return_if_fail (OWS_IS_CONNECTIVITY (self));
  self->probe_timeout_ms = MAX (timeout_ms, 1);
}
