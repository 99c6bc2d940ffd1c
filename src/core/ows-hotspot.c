/* ows-hotspot.c: the device's own setup hotspot, over libnm.
 * SPDX-License-Identifier: Apache-2.0
 *
 * One run goes from start() to stop(): SCANNING (the list), STARTING (the
 * access point asked for), UP, then JOINING the network the phone chose,
 * which ends JOINED or brings the same hotspot back. OwsWifi does the
 * joining, so that the device's own screen and the phone share one way to
 * connect, its failure sentences and its deletion of a wrong password.
 */
#define G_LOG_DOMAIN "ows-hotspot"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <NetworkManager.h>

#include "ows-enums.h"
#include "ows-hotspot-private.h"
#include "ows-setup-page.h"
#include "ows-wifi-private.h"

#define DEFAULT_SCAN_TIMEOUT_MS 10000
#define PROFILE_ID "OVOS setup hotspot"
/* NetworkManager's address for ipv4.method "shared" when the profile names
 * none (it picks 10.42.x.1/24, x = 0 first). */
#define SHARED_DEFAULT_ADDRESS "10.42.0.1"
#define SHARED_DEFAULT_PREFIX 24

struct _OwsHotspot
{
  GObject parent_instance;

  OwsWifi *wifi;
  NMDevice *device;               /* watched: capabilities, scans */
  gboolean supported;
  OwsHotspotState state;
  char *error;

  /* The run, from start() to stop(). */
  char *ssid;
  char *password;                 /* to bring the same hotspot back; never logged */
  GCancellable *cancellable;      /* the scan; cancelled by stop() and dispose */
  guint scan_timeout_ms;
  guint scan_timeout_id;
  guint snapshot_id;
  gint64 last_scan;               /* the device's LastScan when the scan was asked for */
  GPtrArray *networks;            /* OwsSetupPageNetwork, of the scan */
  GHashTable *security;           /* SSID → OwsWifiSecurity, of the scan */
  NMRemoteConnection *previous;   /* what the device had before start() */
  guint request;                  /* the hotspot asked for; an answer to an older one is stale */
  gboolean asked;                 /* the radio was asked to be an access point */
  NMActiveConnection *active;     /* the hotspot, once NetworkManager took it on */
  NMRemoteConnection *profile;    /* its profile */
  GInetAddressMask *subnet;
  GInetAddress *address;
  char *joining;                  /* the SSID being joined, for people */
};

G_DEFINE_FINAL_TYPE (OwsHotspot, ows_hotspot, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_SUPPORTED,
  PROP_STATE,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void bring_up (OwsHotspot *self);

static void
set_state (OwsHotspot      *self,
           OwsHotspotState  state)
{
  if (self->state == state)
    return;
  g_debug ("state %u → %u", self->state, state);
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_error (OwsHotspot *self,
           const char *error)
{
  if (g_strcmp0 (self->error, error) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
fail (OwsHotspot *self,
      const char *sentence)
{
  set_error (self, sentence);
  set_state (self, OWS_HOTSPOT_STATE_FAILED);
}

/* The device */

static void
sync_supported (OwsHotspot *self)
{
  gboolean supported = FALSE;

  if (self->device != NULL && NM_IS_DEVICE_WIFI (self->device))
    supported = (nm_device_wifi_get_capabilities (NM_DEVICE_WIFI (self->device)) &
                 NM_WIFI_DEVICE_CAP_AP) != 0;
  if (self->supported == supported)
    return;
  self->supported = supported;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUPPORTED]);
}

static void schedule_snapshot (OwsHotspot *self);

static void
last_scan_cb (OwsHotspot *self)
{
  if (self->state == OWS_HOTSPOT_STATE_SCANNING &&
      nm_device_wifi_get_last_scan (NM_DEVICE_WIFI (self->device)) != self->last_scan)
    schedule_snapshot (self);
}

static void
sync_device (OwsHotspot *self)
{
  NMDevice *device = ows_wifi_get_device (self->wifi);

  if (device != self->device)
    {
      if (self->device != NULL)
        g_signal_handlers_disconnect_by_data (self->device, self);
      g_set_object (&self->device, device);
      if (device != NULL)
        {
          g_signal_connect_object (device, "notify::wireless-capabilities",
                                   G_CALLBACK (sync_supported), self, G_CONNECT_SWAPPED);
          g_signal_connect_object (device, "notify::last-scan", G_CALLBACK (last_scan_cb), self,
                                   G_CONNECT_SWAPPED);
        }
    }
  sync_supported (self);
}

/* Async answers find the hotspot through a weak reference: it may be gone,
 * and a stale answer (@request) is one that stop() or a restart overtook. */
typedef struct
{
  GWeakRef self;
  guint request;
} Call;

static Call *
call_new (OwsHotspot *self)
{
  Call *call = g_new0 (Call, 1);

  g_weak_ref_init (&call->self, self);
  call->request = self->request;
  return call;
}

static OwsHotspot *
call_free (Call *call)
{
  OwsHotspot *self = g_weak_ref_get (&call->self);

  g_weak_ref_clear (&call->self);
  g_free (call);
  return self;
}

/* The scan */

static guint
level_of (OwsWifiNetwork *network)
{
  /* The device's own screen's bars, and 0 for what it shows as barely there. */
  if (ows_wifi_network_get_strength (network) < 10)
    return 0;
  return ows_wifi_network_get_signal_level (network);
}

static int
by_strength (gconstpointer a,
             gconstpointer b)
{
  guint strength_a = ows_wifi_network_get_strength (*(OwsWifiNetwork **) a);
  guint strength_b = ows_wifi_network_get_strength (*(OwsWifiNetwork **) b);

  return strength_a == strength_b ? 0 : strength_a > strength_b ? -1 : 1;
}

static void
take_snapshot (OwsHotspot *self)
{
  GListModel *model = G_LIST_MODEL (self->wifi);
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(OwsWifiNetwork) network = g_list_model_get_item (model, i);

      if (g_strcmp0 (ows_wifi_network_get_ssid (network), self->ssid) != 0)
        g_ptr_array_add (found, g_steal_pointer (&network));
    }
  /* Stable: equals keep the model's order (connected, then saved, first). */
  g_ptr_array_sort (found, by_strength);

  g_ptr_array_set_size (self->networks, 0);
  g_hash_table_remove_all (self->security);
  for (guint i = 0; i < found->len; i++)
    {
      OwsWifiNetwork *network = g_ptr_array_index (found, i);
      OwsWifiSecurity security = ows_wifi_network_get_security (network);
      const char *ssid = ows_wifi_network_get_ssid (network);

      g_ptr_array_add (self->networks,
                       ows_setup_page_network_new (ssid, level_of (network),
                                                   security != OWS_WIFI_SECURITY_NONE));
      g_hash_table_insert (self->security, g_strdup (ssid), GUINT_TO_POINTER (security));
    }
  g_debug ("the scan found %u networks", self->networks->len);
}

static gboolean
snapshot_cb (gpointer user_data)
{
  OwsHotspot *self = user_data;

  self->snapshot_id = 0;
  take_snapshot (self);
  bring_up (self);
  return G_SOURCE_REMOVE;
}

/* At a low priority: after OwsWifi's own refresh (an idle at the default
 * priority) of the access points that the scan brought. */
static void
schedule_snapshot (OwsHotspot *self)
{
  g_clear_handle_id (&self->scan_timeout_id, g_source_remove);
  if (self->snapshot_id == 0)
    self->snapshot_id = g_idle_add_full (G_PRIORITY_LOW, snapshot_cb, self, NULL);
}

static gboolean
scan_timeout_cb (gpointer user_data)
{
  OwsHotspot *self = user_data;

  self->scan_timeout_id = 0;
  g_debug ("no scan result in time: the list as it is");
  schedule_snapshot (self);
  return G_SOURCE_REMOVE;
}

static void
scan_requested_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(OwsHotspot) self = call_free (user_data);
  g_autoptr(GError) error = NULL;

  if (nm_device_wifi_request_scan_finish (NM_DEVICE_WIFI (source), result, &error) ||
      self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Usually "too soon after the last one": the list is fresh enough. */
  g_debug ("no scan now: %s", error->message);
  if (self->state == OWS_HOTSPOT_STATE_SCANNING)
    schedule_snapshot (self);
}

static void
scan (OwsHotspot *self)
{
  NMDeviceWifi *device = NM_DEVICE_WIFI (self->device);

  set_state (self, OWS_HOTSPOT_STATE_SCANNING);
  self->last_scan = nm_device_wifi_get_last_scan (device);
  nm_device_wifi_request_scan_async (device, self->cancellable, scan_requested_cb,
                                     call_new (self));
  self->scan_timeout_id = g_timeout_add (self->scan_timeout_ms, scan_timeout_cb, self);
}

/* The access point */

/* Only what a hotspot needs; NetworkManager completes the rest. WPA2 only
 * (RSN, CCMP): what every phone of the last decade joins. */
static NMConnection *
hotspot_profile (const char *ssid,
                 const char *password)
{
  NMConnection *connection = nm_simple_connection_new ();
  g_autoptr(GBytes) ssid_bytes = g_bytes_new (ssid, strlen (ssid));
  g_autofree char *uuid = nm_utils_uuid_generate ();
  NMSetting *setting;

  setting = nm_setting_connection_new ();
  g_object_set (setting,
                NM_SETTING_CONNECTION_ID, PROFILE_ID,
                NM_SETTING_CONNECTION_UUID, uuid,
                NM_SETTING_CONNECTION_TYPE, NM_SETTING_WIRELESS_SETTING_NAME,
                NM_SETTING_CONNECTION_AUTOCONNECT, FALSE,
                NULL);
  nm_connection_add_setting (connection, setting);

  setting = nm_setting_wireless_new ();
  g_object_set (setting,
                NM_SETTING_WIRELESS_SSID, ssid_bytes,
                NM_SETTING_WIRELESS_MODE, NM_SETTING_WIRELESS_MODE_AP,
                NM_SETTING_WIRELESS_BAND, "bg",
                NULL);
  nm_connection_add_setting (connection, setting);

  if (password != NULL)
    {
      NMSettingWirelessSecurity *security = NM_SETTING_WIRELESS_SECURITY (nm_setting_wireless_security_new ());

      g_object_set (security,
                    NM_SETTING_WIRELESS_SECURITY_KEY_MGMT, "wpa-psk",
                    NM_SETTING_WIRELESS_SECURITY_PSK, password,
                    NULL);
      nm_setting_wireless_security_add_proto (security, "rsn");
      nm_setting_wireless_security_add_pairwise (security, "ccmp");
      nm_setting_wireless_security_add_group (security, "ccmp");
      nm_connection_add_setting (connection, NM_SETTING (security));
    }

  setting = nm_setting_ip4_config_new ();
  g_object_set (setting, NM_SETTING_IP_CONFIG_METHOD, NM_SETTING_IP4_CONFIG_METHOD_SHARED, NULL);
  nm_connection_add_setting (connection, setting);
  setting = nm_setting_ip6_config_new ();
  g_object_set (setting, NM_SETTING_IP_CONFIG_METHOD, NM_SETTING_IP6_CONFIG_METHOD_IGNORE, NULL);
  nm_connection_add_setting (connection, setting);
  return connection;
}

static void
deleted_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!nm_remote_connection_delete_finish (NM_REMOTE_CONNECTION (source), result, &error))
    g_debug ("the hotspot's profile stays: %s", error->message);
}

static void
delete_profile (NMRemoteConnection *profile)
{
  nm_remote_connection_delete_async (profile, NULL, deleted_cb, NULL);
}

/* Lets go of the hotspot NetworkManager runs; deletes its profile, which
 * takes it down if it is still up. */
static void
forget_hotspot (OwsHotspot *self,
                gboolean    delete)
{
  if (self->active != NULL)
    g_signal_handlers_disconnect_by_data (self->active, self);
  if (delete && self->profile != NULL)
    delete_profile (self->profile);
  g_clear_object (&self->active);
  g_clear_object (&self->profile);
  g_clear_object (&self->subnet);
  g_clear_object (&self->address);
}

static GInetAddressMask *
mask_of (GInetAddress *address,
         guint         prefix)
{
  guint8 bytes[16];
  gsize size = g_inet_address_get_native_size (address);
  g_autoptr(GInetAddress) network = NULL;

  prefix = MIN (prefix, size * 8);
  memcpy (bytes, g_inet_address_to_bytes (address), size);
  for (gsize i = 0; i < size; i++)
    if (i * 8 + 8 > prefix)
      bytes[i] &= i * 8 >= prefix ? 0 : (guint8) (0xff << (8 - (prefix - i * 8)));
  network = g_inet_address_new_from_bytes (bytes, g_inet_address_get_family (address));
  return g_inet_address_mask_new (network, prefix, NULL);
}

static void
find_subnet (OwsHotspot *self)
{
  NMIPConfig *config = nm_device_get_ip4_config (self->device);
  GPtrArray *addresses = config != NULL ? nm_ip_config_get_addresses (config) : NULL;
  const char *address = SHARED_DEFAULT_ADDRESS;
  guint prefix = SHARED_DEFAULT_PREFIX;

  if (addresses != NULL && addresses->len > 0)
    {
      address = nm_ip_address_get_address (g_ptr_array_index (addresses, 0));
      prefix = nm_ip_address_get_prefix (g_ptr_array_index (addresses, 0));
    }
  else
    g_debug ("no address from NetworkManager: its shared-mode default");
  g_clear_object (&self->address);
  g_clear_object (&self->subnet);
  self->address = g_inet_address_new_from_string (address);
  self->subnet = mask_of (self->address, prefix);
}

static void
check_hotspot (OwsHotspot *self)
{
  switch (nm_active_connection_get_state (self->active))
    {
    case NM_ACTIVE_CONNECTION_STATE_ACTIVATED:
      if (self->state != OWS_HOTSPOT_STATE_STARTING)
        break;
      find_subnet (self);
      set_state (self, OWS_HOTSPOT_STATE_UP);
      break;
    case NM_ACTIVE_CONNECTION_STATE_DEACTIVATED:
      g_debug ("the hotspot went down (reason %u)", nm_active_connection_get_state_reason (self->active));
      forget_hotspot (self, TRUE);
      fail (self, self->state == OWS_HOTSPOT_STATE_UP
                  ? _("The device’s own Wi-Fi network stopped.")
                  : _("The device could not start its own Wi-Fi network."));
      break;
    default:
      break;
    }
}

static void
hotspot_added_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Call *call = user_data;
  guint request = call->request;
  g_autoptr(OwsHotspot) self = call_free (call);
  g_autoptr(GError) error = NULL;
  g_autoptr(NMActiveConnection) active = NULL;

  active = nm_client_add_and_activate_connection_finish (NM_CLIENT (source), result, &error);
  if (self == NULL || request != self->request)
    {
      /* stop() came first: NetworkManager made it all the same. */
      if (active != NULL && nm_active_connection_get_connection (active) != NULL)
        delete_profile (nm_active_connection_get_connection (active));
      return;
    }
  if (active == NULL)
    {
      g_debug ("NetworkManager refused the hotspot: %s", error->message);
      fail (self, _("The device could not start its own Wi-Fi network."));
      return;
    }
  self->active = g_steal_pointer (&active);
  self->profile = nm_active_connection_get_connection (self->active);
  if (self->profile != NULL)
    g_object_ref (self->profile);
  g_signal_connect_object (self->active, "notify::state", G_CALLBACK (check_hotspot), self,
                           G_CONNECT_SWAPPED);
  check_hotspot (self);
}

/* Also to bring the hotspot back after a failed join: the same name and
 * password, so the phone rejoins it by itself. */
static void
bring_up (OwsHotspot *self)
{
  NMClient *client = ows_wifi_get_client (self->wifi);
  g_autoptr(NMConnection) connection = NULL;

  forget_hotspot (self, TRUE);
  if (client == NULL || self->device == NULL)
    {
      fail (self, _("The device could not start its own Wi-Fi network."));
      return;
    }
  set_state (self, OWS_HOTSPOT_STATE_STARTING);
  connection = hotspot_profile (self->ssid, self->password);
  self->request++;
  self->asked = TRUE;
  /* Not cancelled by stop() or dispose: NetworkManager acts on it anyway,
   * and only its answer says which profile to delete (hotspot_added_cb). */
  nm_client_add_and_activate_connection_async (client, connection, self->device, NULL, NULL,
                                               hotspot_added_cb, call_new (self));
}

/* Joining */

static void
attempt_cb (OwsHotspot *self)
{
  OwsWifiAttempt attempt = ows_wifi_get_attempt (self->wifi);
  g_autofree char *sentence = NULL;

  /* NONE: stop() cancelled it, or the device's own screen started another
   * attempt, whose end then counts. */
  if (self->state != OWS_HOTSPOT_STATE_JOINING || attempt == OWS_WIFI_ATTEMPT_CONNECTING ||
      attempt == OWS_WIFI_ATTEMPT_NONE)
    return;
  if (attempt == OWS_WIFI_ATTEMPT_CONNECTED)
    {
      g_debug ("joined: the hotspot is done");
      forget_hotspot (self, TRUE);
      g_clear_object (&self->previous);
      self->asked = FALSE;
      set_state (self, OWS_HOTSPOT_STATE_JOINED);
      return;
    }
  if (attempt == OWS_WIFI_ATTEMPT_WRONG_PASSWORD)
    sentence = g_strdup_printf (_("The password for “%s” was not accepted."), self->joining);
  else if (ows_wifi_get_attempt_error (self->wifi) != NULL)
    sentence = g_strdup (ows_wifi_get_attempt_error (self->wifi));
  else
    sentence = g_strdup_printf (_("The device could not connect to “%s”."), self->joining);
  g_debug ("the join failed (attempt %u): the hotspot comes back", attempt);
  set_error (self, sentence);
  bring_up (self);
}

/* GObject */

/* Everything of the run but its state and error; @restore: what the device
 * had before is activated again. */
static void
teardown (OwsHotspot *self,
          gboolean    restore)
{
  NMClient *client = ows_wifi_get_client (self->wifi);

  self->request++;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->scan_timeout_id, g_source_remove);
  g_clear_handle_id (&self->snapshot_id, g_source_remove);
  if (self->state == OWS_HOTSPOT_STATE_JOINING)
    ows_wifi_cancel (self->wifi);
  /* Before the hotspot's profile goes: NetworkManager switches the device
   * over, with no moment in which autoconnect could pick another network. */
  if (restore && self->asked && self->previous != NULL && client != NULL && self->device != NULL)
    {
      g_debug ("the connection from before comes back");
      nm_client_activate_connection_async (client, NM_CONNECTION (self->previous), self->device,
                                           NULL, NULL, NULL, NULL);
    }
  forget_hotspot (self, TRUE);
  self->asked = FALSE;
  g_clear_object (&self->previous);
  g_clear_pointer (&self->ssid, g_free);
  g_clear_pointer (&self->password, g_free);
  g_clear_pointer (&self->joining, g_free);
  g_ptr_array_set_size (self->networks, 0);
  g_hash_table_remove_all (self->security);
}

static void
ows_hotspot_dispose (GObject *object)
{
  OwsHotspot *self = OWS_HOTSPOT (object);

  if (self->wifi != NULL)
    {
      /* Never an access point left behind. */
      teardown (self, self->state != OWS_HOTSPOT_STATE_JOINED);
      g_signal_handlers_disconnect_by_data (self->wifi, self);
    }
  if (self->device != NULL)
    g_signal_handlers_disconnect_by_data (self->device, self);
  g_clear_object (&self->device);
  g_clear_object (&self->wifi);
  G_OBJECT_CLASS (ows_hotspot_parent_class)->dispose (object);
}

static void
ows_hotspot_finalize (GObject *object)
{
  OwsHotspot *self = OWS_HOTSPOT (object);

  g_ptr_array_unref (self->networks);
  g_hash_table_unref (self->security);
  g_free (self->error);
  G_OBJECT_CLASS (ows_hotspot_parent_class)->finalize (object);
}

static void
ows_hotspot_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  OwsHotspot *self = OWS_HOTSPOT (object);

  switch (prop_id)
    {
    case PROP_SUPPORTED:
      g_value_set_boolean (value, self->supported);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ows_hotspot_class_init (OwsHotspotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ows_hotspot_dispose;
  object_class->finalize = ows_hotspot_finalize;
  object_class->get_property = ows_hotspot_get_property;

  properties[PROP_SUPPORTED] =
    g_param_spec_boolean ("supported", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, OWS_TYPE_HOTSPOT_STATE, OWS_HOTSPOT_STATE_OFF,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ows_hotspot_init (OwsHotspot *self)
{
  self->networks = g_ptr_array_new_with_free_func ((GDestroyNotify) ows_setup_page_network_free);
  self->security = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->scan_timeout_ms = DEFAULT_SCAN_TIMEOUT_MS;
}

OwsHotspot *
ows_hotspot_new (OwsWifi *wifi)
{
  OwsHotspot *self;

  g_return_val_if_fail (OWS_IS_WIFI (wifi), NULL);

  self = g_object_new (OWS_TYPE_HOTSPOT, NULL);
  self->wifi = g_object_ref (wifi);
  /* The device comes with NetworkManager, and its "state" says so. */
  g_signal_connect_object (wifi, "notify::state", G_CALLBACK (sync_device), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (wifi, "notify::attempt", G_CALLBACK (attempt_cb), self, G_CONNECT_SWAPPED);
  sync_device (self);
  return self;
}

gboolean
ows_hotspot_get_supported (OwsHotspot *self)
{
  g_return_val_if_fail (OWS_IS_HOTSPOT (self), FALSE);
  return self->supported;
}

OwsHotspotState
ows_hotspot_get_state (OwsHotspot *self)
{
  g_return_val_if_fail (OWS_IS_HOTSPOT (self), OWS_HOTSPOT_STATE_OFF);
  return self->state;
}

/* What the device is on now, unless it is a hotspot (of ours, left over). */
static NMRemoteConnection *
current_profile (NMDevice *device)
{
  NMActiveConnection *active = nm_device_get_active_connection (device);
  NMRemoteConnection *profile = active != NULL ? nm_active_connection_get_connection (active) : NULL;
  NMSettingWireless *wireless;

  if (profile == NULL)
    return NULL;
  wireless = nm_connection_get_setting_wireless (NM_CONNECTION (profile));
  if (wireless != NULL &&
      g_strcmp0 (nm_setting_wireless_get_mode (wireless), NM_SETTING_WIRELESS_MODE_AP) == 0)
    return NULL;
  return g_object_ref (profile);
}

void
ows_hotspot_start (OwsHotspot *self,
                   const char *ssid,
                   const char *password)
{
  g_return_if_fail (OWS_IS_HOTSPOT (self));
  g_return_if_fail (ssid != NULL && strlen (ssid) >= 1 && strlen (ssid) <= 32);
  g_return_if_fail (password == NULL || (strlen (password) >= 8 && strlen (password) <= 63));

  if (self->state != OWS_HOTSPOT_STATE_OFF && self->state != OWS_HOTSPOT_STATE_FAILED)
    {
      g_debug ("already started");
      return;
    }
  g_clear_pointer (&self->ssid, g_free);
  g_clear_pointer (&self->password, g_free);
  self->ssid = g_strdup (ssid);
  self->password = g_strdup (password);
  set_error (self, NULL);
  g_ptr_array_set_size (self->networks, 0);
  sync_device (self);
  if (self->device == NULL || !self->supported)
    {
      fail (self, _("This device’s Wi-Fi cannot offer a network of its own."));
      return;
    }
  /* After a failure the device may be on nothing: what it had before the first try counts. */
  if (self->previous == NULL)
    self->previous = current_profile (self->device);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  scan (self);
}

GPtrArray *
ows_hotspot_get_networks (OwsHotspot *self)
{
  g_return_val_if_fail (OWS_IS_HOTSPOT (self), NULL);
  return self->networks;
}

GInetAddressMask *
ows_hotspot_get_subnet (OwsHotspot *self)
{
  g_return_val_if_fail (OWS_IS_HOTSPOT (self), NULL);
  return self->state == OWS_HOTSPOT_STATE_UP ? self->subnet : NULL;
}

GInetAddress *
ows_hotspot_get_address (OwsHotspot *self)
{
  g_return_val_if_fail (OWS_IS_HOTSPOT (self), NULL);
  return self->state == OWS_HOTSPOT_STATE_UP ? self->address : NULL;
}

void
ows_hotspot_join (OwsHotspot *self,
                  const char *ssid,
                  gboolean    hidden,
                  const char *password)
{
  OwsWifiSecurity security;
  gpointer found;

  g_return_if_fail (OWS_IS_HOTSPOT (self));
  g_return_if_fail (ssid != NULL);

  if (self->state != OWS_HOTSPOT_STATE_UP)
    {
      g_debug ("a join while the hotspot is not up is ignored");
      return;
    }
  if (password != NULL && *password == '\0')
    password = NULL;
  if (!hidden && g_hash_table_lookup_extended (self->security, ssid, NULL, &found))
    security = GPOINTER_TO_UINT (found);
  else
    security = password != NULL ? OWS_WIFI_SECURITY_PERSONAL : OWS_WIFI_SECURITY_NONE;

  set_error (self, NULL);
  g_free (self->joining);
  self->joining = g_strdup (ssid);
  /* NetworkManager takes the device from the hotspot itself when another
   * connection is activated on it. The hotspot's profile stays until the
   * join is done: it may be needed again. */
  if (!ows_wifi_join_ssid (self->wifi, ssid, hidden, security, password))
    {
      g_autofree char *sentence = NULL;

      if (!ows_wifi_password_is_valid (security, password))
        sentence = g_strdup_printf (_("That is not a valid password for “%s”."), ssid);
      else
        sentence = g_strdup_printf (_("The device cannot connect to “%s”."), ssid);
      /* Told as any failed join is (UP again, with a sentence); the radio
       * was never touched. */
      set_state (self, OWS_HOTSPOT_STATE_JOINING);
      set_error (self, sentence);
      set_state (self, OWS_HOTSPOT_STATE_UP);
      return;
    }
  if (self->active != NULL)
    g_signal_handlers_disconnect_by_data (self->active, self);
  set_state (self, OWS_HOTSPOT_STATE_JOINING);
}

const char *
ows_hotspot_get_error (OwsHotspot *self)
{
  g_return_val_if_fail (OWS_IS_HOTSPOT (self), NULL);
  return self->error;
}

void
ows_hotspot_stop (OwsHotspot *self)
{
  g_return_if_fail (OWS_IS_HOTSPOT (self));

  if (self->state == OWS_HOTSPOT_STATE_OFF)
    return;
  teardown (self, self->state != OWS_HOTSPOT_STATE_JOINED);
  set_error (self, NULL);
  set_state (self, OWS_HOTSPOT_STATE_OFF);
}

void
ows_hotspot_set_scan_timeout (OwsHotspot *self,
                              guint       timeout_ms)
{
  g_return_if_fail (OWS_IS_HOTSPOT (self));
  self->scan_timeout_ms = timeout_ms;
}
