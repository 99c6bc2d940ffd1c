/* ows-wifi.c: the Wi-Fi networks NetworkManager sees, and joining one (libnm).
 * SPDX-License-Identifier: Apache-2.0
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <NetworkManager.h>

#include "ows-enums.h"
#include "ows-wifi-private.h"

/* How often the list is refreshed while someone looks at it. NetworkManager
 * refuses scans closer than a few seconds apart anyway. */
#define SCAN_INTERVAL_S 10

struct _OwsWifi
{
  GObject parent_instance;

  NMClient *client;             /* NULL until NetworkManager's bus answered */
  GCancellable *cancellable;    /* for the client's start, until finalize */
  GPtrArray *networks;          /* OwsWifiNetwork, in the list's order */
  OwsWifiState state;           /* derived: sync_state () */
  gboolean wired;               /* derived: sync_state () */
  guint refresh_id;             /* a refresh of the list is due (idle) */
  guint scan_id;                /* the rescan timer, only while scanning */
  gboolean scanning;            /* the list is on screen */
  gboolean disposed;            /* schedules nothing more */

  /* The attempt: what the page says, and what to undo when it fails. */
  OwsWifiAttempt attempt;
  char *attempt_ssid;                 /* for people */
  GBytes *attempt_ssid_bytes;         /* for NetworkManager */
  OwsWifiSecurity attempt_security;
  char *attempt_error;
  GCancellable *attempt_cancellable;  /* the activation call in flight */
  NMDevice *attempt_device;           /* the device asked to connect */
  NMActiveConnection *attempt_active; /* once NetworkManager took it on */
};

static void ows_wifi_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OwsWifi, ows_wifi, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, ows_wifi_list_model_init))

enum
{
  PROP_0,
  PROP_STATE,
  PROP_WIRED,
  PROP_ATTEMPT,
  PROP_SCANNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void schedule_refresh (OwsWifi *self);

/* GListModel */

static GType
ows_wifi_get_item_type (GListModel *model)
{
  return OWS_TYPE_WIFI_NETWORK;
}

static guint
ows_wifi_get_n_items (GListModel *model)
{
  return OWS_WIFI (model)->networks->len;
}

static gpointer
ows_wifi_get_item (GListModel *model,
                   guint       position)
{
  OwsWifi *self = OWS_WIFI (model);

  if (position >= self->networks->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->networks, position));
}

static void
ows_wifi_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = ows_wifi_get_item_type;
  iface->get_n_items = ows_wifi_get_n_items;
  iface->get_item = ows_wifi_get_item;
}

/* What NetworkManager says */

static GPtrArray *
wifi_devices (OwsWifi *self)
{
  GPtrArray *found = g_ptr_array_new ();
  const GPtrArray *devices;

  if (self->client == NULL || !nm_client_get_nm_running (self->client))
    return found;
  devices = nm_client_get_devices (self->client);
  for (guint i = 0; i < devices->len; i++)
    if (NM_IS_DEVICE_WIFI (g_ptr_array_index (devices, i)))
      g_ptr_array_add (found, g_ptr_array_index (devices, i));
  return found;
}

static OwsWifiSecurity
ap_security (NMAccessPoint *ap)
{
  NM80211ApSecurityFlags wpa = nm_access_point_get_wpa_flags (ap);
  NM80211ApSecurityFlags rsn = nm_access_point_get_rsn_flags (ap);
  NM80211ApSecurityFlags both = wpa | rsn;

  if (both & (NM_802_11_AP_SEC_KEY_MGMT_802_1X | NM_802_11_AP_SEC_KEY_MGMT_EAP_SUITE_B_192))
    return OWS_WIFI_SECURITY_ENTERPRISE;
  /* WPA2/WPA3 transition networks take a WPA2 key: the older, wider path. */
  if (both & NM_802_11_AP_SEC_KEY_MGMT_PSK)
    return OWS_WIFI_SECURITY_PERSONAL;
  if (both & NM_802_11_AP_SEC_KEY_MGMT_SAE)
    return OWS_WIFI_SECURITY_SAE;
  if (nm_access_point_get_flags (ap) & NM_802_11_AP_FLAGS_PRIVACY)
    return OWS_WIFI_SECURITY_WEP;
  return OWS_WIFI_SECURITY_NONE;
}

/* A name that is empty or all NULs is a network that hides it. */
static gboolean
ssid_is_hidden (GBytes *ssid)
{
  gsize len;
  const guint8 *data;

  if (ssid == NULL)
    return TRUE;
  data = g_bytes_get_data (ssid, &len);
  for (gsize i = 0; i < len; i++)
    if (data[i] != 0)
      return FALSE;
  return TRUE;
}

static GBytes *
connection_ssid (NMConnection *connection)
{
  NMSettingWireless *wireless = nm_connection_get_setting_wireless (connection);
  const char *mode;

  if (wireless == NULL)
    return NULL;
  /* A hotspot of our own is not a network to join. */
  mode = nm_setting_wireless_get_mode (wireless);
  if (mode != NULL && g_strcmp0 (mode, NM_SETTING_WIRELESS_MODE_INFRA) != 0)
    return NULL;
  return nm_setting_wireless_get_ssid (wireless);
}

/* A saved profile for @ssid (the first NetworkManager lists). */
static NMRemoteConnection *
find_profile (OwsWifi *self,
              GBytes  *ssid)
{
  const GPtrArray *connections;

  if (self->client == NULL)
    return NULL;
  connections = nm_client_get_connections (self->client);
  for (guint i = 0; i < connections->len; i++)
    {
      NMConnection *connection = g_ptr_array_index (connections, i);
      GBytes *saved = connection_ssid (connection);

      if (saved != NULL && g_bytes_equal (saved, ssid))
        return NM_REMOTE_CONNECTION (connection);
    }
  return NULL;
}

/* The SSID a device is activated on, through its profile (the mock, and
 * hidden networks, have no active access point to ask). */
static GBytes *
device_connected_ssid (NMDevice *device)
{
  NMActiveConnection *active;
  NMRemoteConnection *connection;

  if (nm_device_get_state (device) != NM_DEVICE_STATE_ACTIVATED)
    return NULL;
  active = nm_device_get_active_connection (device);
  if (active == NULL)
    return NULL;
  connection = nm_active_connection_get_connection (active);
  return connection != NULL ? connection_ssid (NM_CONNECTION (connection)) : NULL;
}

/* State */

static OwsWifiState
derive_state (OwsWifi *self)
{
  g_autoptr(GPtrArray) devices = wifi_devices (self);

  if (devices->len == 0)
    return OWS_WIFI_STATE_ABSENT;
  if (!nm_client_wireless_hardware_get_enabled (self->client))
    return OWS_WIFI_STATE_HARDWARE_OFF;
  if (!nm_client_wireless_get_enabled (self->client))
    return OWS_WIFI_STATE_OFF;
  return OWS_WIFI_STATE_READY;
}

static gboolean
derive_wired (OwsWifi *self)
{
  const GPtrArray *devices;

  if (self->client == NULL || !nm_client_get_nm_running (self->client))
    return FALSE;
  devices = nm_client_get_devices (self->client);
  for (guint i = 0; i < devices->len; i++)
    {
      NMDevice *device = g_ptr_array_index (devices, i);

      if (NM_IS_DEVICE_ETHERNET (device) && nm_device_get_state (device) == NM_DEVICE_STATE_ACTIVATED)
        return TRUE;
    }
  return FALSE;
}

static void
sync_state (OwsWifi *self)
{
  OwsWifiState state = derive_state (self);
  gboolean wired = derive_wired (self);

  if (state != self->state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  if (wired != self->wired)
    {
      self->wired = wired;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WIRED]);
    }
}

/* The attempt */

static void
set_attempt (OwsWifi        *self,
             OwsWifiAttempt  attempt,
             const char     *error)
{
  g_free (self->attempt_error);
  self->attempt_error = g_strdup (error);
  if (attempt != OWS_WIFI_ATTEMPT_CONNECTING)
    {
      if (self->attempt_active != NULL)
        g_signal_handlers_disconnect_by_data (self->attempt_active, self);
      g_cancellable_cancel (self->attempt_cancellable);
      g_clear_object (&self->attempt_cancellable);
      g_clear_object (&self->attempt_device);
      g_clear_object (&self->attempt_active);
    }
  if (attempt == OWS_WIFI_ATTEMPT_NONE)
    {
      g_clear_pointer (&self->attempt_ssid, g_free);
      g_clear_pointer (&self->attempt_ssid_bytes, g_bytes_unref);
    }
  if (self->attempt != attempt || error != NULL)
    {
      self->attempt = attempt;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ATTEMPT]);
    }
}

static void
profile_deleted_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!nm_remote_connection_delete_finish (NM_REMOTE_CONNECTION (source), result, &error))
    g_debug ("the profile that failed stays: %s", error->message);
}

/* A profile with a wrong password would be tried again at every boot. */
static void
delete_failed_profile (OwsWifi *self)
{
  NMRemoteConnection *profile = NULL;

  if (self->attempt_active != NULL)
    profile = nm_active_connection_get_connection (self->attempt_active);
  if (profile == NULL && self->attempt_ssid_bytes != NULL)
    profile = find_profile (self, self->attempt_ssid_bytes);
  if (profile != NULL)
    nm_remote_connection_delete_async (profile, NULL, profile_deleted_cb, NULL);
}

static void
wrong_password (OwsWifi *self)
{
  g_debug ("the password for the network was refused");
  delete_failed_profile (self);
  set_attempt (self, OWS_WIFI_ATTEMPT_WRONG_PASSWORD, NULL);
}

/* What went wrong, in words a person holding the device can act on. */
static char *
failure_sentence (OwsWifi            *self,
                  NMDeviceStateReason reason)
{
  const char *name = self->attempt_ssid != NULL ? self->attempt_ssid : "";

  switch (reason)
    {
    case NM_DEVICE_STATE_REASON_SSID_NOT_FOUND:
      return g_strdup_printf (_("“%s” is out of reach. Move closer to the router, or check the network’s name."), name);
    case NM_DEVICE_STATE_REASON_IP_CONFIG_UNAVAILABLE:
    case NM_DEVICE_STATE_REASON_IP_CONFIG_EXPIRED:
    case NM_DEVICE_STATE_REASON_DHCP_FAILED:
    case NM_DEVICE_STATE_REASON_DHCP_ERROR:
      return g_strdup_printf (_("“%s” accepted the device but gave it no address. Restarting the router often helps."), name);
    default:
      return g_strdup_printf (_("The device could not connect to “%s”."), name);
    }
}

static gboolean
reason_is_wrong_password (OwsWifi            *self,
                          NMDeviceStateReason reason)
{
  if (self->attempt_security == OWS_WIFI_SECURITY_NONE)
    return FALSE;
  /* NetworkManager asks its agents again after a failed handshake, and with
   * none that can answer it gives up with "no secrets". */
  return reason == NM_DEVICE_STATE_REASON_NO_SECRETS ||
         reason == NM_DEVICE_STATE_REASON_SUPPLICANT_DISCONNECT ||
         reason == NM_DEVICE_STATE_REASON_SUPPLICANT_TIMEOUT ||
         reason == NM_DEVICE_STATE_REASON_SUPPLICANT_FAILED;
}

static void
attempt_failed (OwsWifi            *self,
                NMDeviceStateReason reason)
{
  g_autofree char *sentence = NULL;

  g_debug ("the attempt failed (device reason %u)", reason);
  if (reason_is_wrong_password (self, reason))
    {
      wrong_password (self);
      return;
    }
  sentence = failure_sentence (self, reason);
  set_attempt (self, OWS_WIFI_ATTEMPT_FAILED, sentence);
}

static void
check_attempt (OwsWifi *self)
{
  if (self->attempt != OWS_WIFI_ATTEMPT_CONNECTING || self->attempt_active == NULL)
    return;
  switch (nm_active_connection_get_state (self->attempt_active))
    {
    case NM_ACTIVE_CONNECTION_STATE_ACTIVATED:
      set_attempt (self, OWS_WIFI_ATTEMPT_CONNECTED, NULL);
      break;
    case NM_ACTIVE_CONNECTION_STATE_DEACTIVATED:
      switch (nm_active_connection_get_state_reason (self->attempt_active))
        {
        case NM_ACTIVE_CONNECTION_STATE_REASON_NO_SECRETS:
        case NM_ACTIVE_CONNECTION_STATE_REASON_LOGIN_FAILED:
          if (self->attempt_security != OWS_WIFI_SECURITY_NONE)
            {
              wrong_password (self);
              break;
            }
          G_GNUC_FALLTHROUGH;
        default:
          attempt_failed (self, NM_DEVICE_STATE_REASON_UNKNOWN);
        }
      break;
    default:
      break;
    }
}

static void
device_state_changed_cb (NMDevice *device,
                         guint     new_state,
                         guint     old_state,
                         guint     reason,
                         OwsWifi  *self)
{
  sync_state (self);
  schedule_refresh (self);
  if (self->attempt != OWS_WIFI_ATTEMPT_CONNECTING || device != self->attempt_device)
    return;
  if (new_state == NM_DEVICE_STATE_FAILED)
    attempt_failed (self, reason);
  else
    check_attempt (self);
}

static void
take_active (OwsWifi            *self,
             NMActiveConnection *active,
             GError             *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (self->attempt != OWS_WIFI_ATTEMPT_CONNECTING)
    {
      /* Cancelled while NetworkManager was taking it on. */
      if (active != NULL && self->client != NULL)
        nm_client_deactivate_connection_async (self->client, active, NULL, NULL, NULL);
      return;
    }
  if (active == NULL)
    {
      g_debug ("NetworkManager refused the connection: %s", error->message);
      if (g_error_matches (error, NM_AGENT_MANAGER_ERROR, NM_AGENT_MANAGER_ERROR_NO_SECRETS) ||
          g_error_matches (error, NM_AGENT_MANAGER_ERROR, NM_AGENT_MANAGER_ERROR_USER_CANCELED))
        {
          if (self->attempt_security != OWS_WIFI_SECURITY_NONE)
            {
              wrong_password (self);
              return;
            }
        }
      attempt_failed (self, NM_DEVICE_STATE_REASON_UNKNOWN);
      return;
    }
  g_set_object (&self->attempt_active, active);
  g_signal_connect_object (active, "notify::state", G_CALLBACK (check_attempt), self, G_CONNECT_SWAPPED);
  check_attempt (self);
}

static void
add_and_activate_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(OwsWifi) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(NMActiveConnection) active = NULL;

  active = nm_client_add_and_activate_connection_finish (NM_CLIENT (source), result, &error);
  take_active (self, active, error);
}

static void
activate_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(OwsWifi) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(NMActiveConnection) active = NULL;

  active = nm_client_activate_connection_finish (NM_CLIENT (source), result, &error);
  take_active (self, active, error);
}

/* The list */

typedef struct
{
  GBytes *ssid;
  NMAccessPoint *best;
  guint strength;
  gboolean connected;
  gboolean saved;
} Seen;

static void
seen_free (Seen *seen)
{
  g_bytes_unref (seen->ssid);
  g_free (seen);
}

static int
rank (OwsWifiNetwork *network)
{
  if (ows_wifi_network_get_connected (network))
    return 0;
  return ows_wifi_network_get_saved (network) ? 1 : 2;
}

static int
compare_networks (OwsWifiNetwork *a,
                  OwsWifiNetwork *b)
{
  int by_rank = rank (a) - rank (b);

  if (by_rank != 0)
    return by_rank;
  if (ows_wifi_network_get_strength (a) != ows_wifi_network_get_strength (b))
    return ows_wifi_network_get_strength (a) > ows_wifi_network_get_strength (b) ? -1 : 1;
  return g_utf8_collate (ows_wifi_network_get_ssid (a), ows_wifi_network_get_ssid (b));
}

static guint
sorted_position (OwsWifi        *self,
                 OwsWifiNetwork *network)
{
  guint i;

  for (i = 0; i < self->networks->len; i++)
    if (compare_networks (network, g_ptr_array_index (self->networks, i)) < 0)
      break;
  return i;
}

static void
insert_sorted (OwsWifi        *self,
               OwsWifiNetwork *network)
{
  guint position = sorted_position (self, network);

  g_ptr_array_insert (self->networks, position, network);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
}

static GHashTable *
collect (OwsWifi *self)
{
  GHashTable *seen = g_hash_table_new_full (g_bytes_hash, g_bytes_equal, NULL,
                                            (GDestroyNotify) seen_free);
  g_autoptr(GPtrArray) devices = wifi_devices (self);

  if (self->state != OWS_WIFI_STATE_READY)
    return seen;
  for (guint d = 0; d < devices->len; d++)
    {
      NMDevice *device = g_ptr_array_index (devices, d);
      const GPtrArray *aps = nm_device_wifi_get_access_points (NM_DEVICE_WIFI (device));
      GBytes *connected = device_connected_ssid (device);

      for (guint i = 0; i < aps->len; i++)
        {
          NMAccessPoint *ap = g_ptr_array_index (aps, i);
          GBytes *ssid = nm_access_point_get_ssid (ap);
          Seen *entry;

          if (ssid_is_hidden (ssid))
            continue;
          entry = g_hash_table_lookup (seen, ssid);
          if (entry == NULL)
            {
              entry = g_new0 (Seen, 1);
              entry->ssid = g_bytes_ref (ssid);
              entry->saved = find_profile (self, ssid) != NULL;
              g_hash_table_insert (seen, entry->ssid, entry);
            }
          if (entry->best == NULL || nm_access_point_get_strength (ap) > entry->strength)
            {
              entry->best = ap;
              entry->strength = nm_access_point_get_strength (ap);
            }
          if (connected != NULL && g_bytes_equal (connected, ssid))
            entry->connected = TRUE;
        }
    }
  return seen;
}

/* Updates the networks in place; only a network that comes, goes or changes
 * rank moves, so the rows of the others keep focus and reading position. */
static void
refresh (OwsWifi *self)
{
  g_autoptr(GHashTable) seen = collect (self);
  g_autoptr(GPtrArray) moved = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  Seen *entry;

  for (guint i = self->networks->len; i-- > 0;)
    {
      OwsWifiNetwork *network = g_ptr_array_index (self->networks, i);
      int old_rank = rank (network);

      entry = g_hash_table_lookup (seen, ows_wifi_network_get_ssid_bytes (network));
      if (entry == NULL)
        {
          g_ptr_array_remove_index (self->networks, i);
          g_list_model_items_changed (G_LIST_MODEL (self), i, 1, 0);
          continue;
        }
      ows_wifi_network_update (network, entry->strength, ap_security (entry->best),
                               entry->connected, entry->saved);
      g_hash_table_remove (seen, ows_wifi_network_get_ssid_bytes (network));
      if (rank (network) != old_rank)
        {
          g_ptr_array_add (moved, g_ptr_array_steal_index (self->networks, i));
          g_list_model_items_changed (G_LIST_MODEL (self), i, 1, 0);
        }
    }
  for (guint i = 0; i < moved->len; i++)
    insert_sorted (self, g_object_ref (g_ptr_array_index (moved, i)));

  g_hash_table_iter_init (&iter, seen);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    {
      OwsWifiNetwork *network = ows_wifi_network_new (entry->ssid);

      ows_wifi_network_update (network, entry->strength, ap_security (entry->best),
                               entry->connected, entry->saved);
      insert_sorted (self, network);
    }
}

static gboolean
refresh_cb (gpointer user_data)
{
  OwsWifi *self = user_data;

  self->refresh_id = 0;
  refresh (self);
  return G_SOURCE_REMOVE;
}

/* Signals come in bursts (a scan adds dozens of access points): one refresh. */
static void
schedule_refresh (OwsWifi *self)
{
  /* libnm's objects may still speak while they are let go of. */
  if (self->disposed)
    return;
  if (self->refresh_id == 0)
    self->refresh_id = g_idle_add_full (G_PRIORITY_DEFAULT, refresh_cb, self, NULL);
}

static void
watch_access_point (OwsWifi       *self,
                    NMAccessPoint *ap)
{
  g_signal_connect_object (ap, "notify::strength", G_CALLBACK (schedule_refresh), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (ap, "notify::ssid", G_CALLBACK (schedule_refresh), self,
                           G_CONNECT_SWAPPED);
}

static void
access_point_added_cb (NMDeviceWifi  *device,
                       NMAccessPoint *ap,
                       OwsWifi       *self)
{
  watch_access_point (self, ap);
  schedule_refresh (self);
}

static void
watch_device (OwsWifi  *self,
              NMDevice *device)
{
  g_signal_connect_object (device, "state-changed", G_CALLBACK (device_state_changed_cb), self, 0);
  if (!NM_IS_DEVICE_WIFI (device))
    return;
  g_signal_connect_object (device, "access-point-added", G_CALLBACK (access_point_added_cb), self, 0);
  g_signal_connect_object (device, "access-point-removed", G_CALLBACK (schedule_refresh), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (device, "notify::active-connection", G_CALLBACK (schedule_refresh), self,
                           G_CONNECT_SWAPPED);
  {
    const GPtrArray *aps = nm_device_wifi_get_access_points (NM_DEVICE_WIFI (device));

    for (guint i = 0; i < aps->len; i++)
      watch_access_point (self, g_ptr_array_index (aps, i));
  }
}

static void
client_changed (OwsWifi *self)
{
  sync_state (self);
  schedule_refresh (self);
}

static void
device_added_cb (NMClient *client,
                 NMDevice *device,
                 OwsWifi  *self)
{
  watch_device (self, device);
  client_changed (self);
}

static void
nm_running_cb (OwsWifi *self)
{
  /* Gone: an attempt in progress went with it. */
  if (!nm_client_get_nm_running (self->client) && self->attempt == OWS_WIFI_ATTEMPT_CONNECTING)
    attempt_failed (self, NM_DEVICE_STATE_REASON_UNKNOWN);
  client_changed (self);
}

static void
scan_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* Too soon after the last one, or the radio is busy: the next tick asks again. */
  if (!nm_device_wifi_request_scan_finish (NM_DEVICE_WIFI (source), result, &error))
    g_debug ("no scan now: %s", error->message);
}

static void
request_scans (OwsWifi *self)
{
  g_autoptr(GPtrArray) devices = wifi_devices (self);

  if (self->state != OWS_WIFI_STATE_READY)
    return;
  for (guint i = 0; i < devices->len; i++)
    nm_device_wifi_request_scan_async (g_ptr_array_index (devices, i), self->cancellable,
                                       scan_cb, NULL);
}

static gboolean
scan_tick_cb (gpointer user_data)
{
  request_scans (user_data);
  return G_SOURCE_CONTINUE;
}

static void
client_ready_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GWeakRef *weak = user_data;
  g_autoptr(OwsWifi) self = g_weak_ref_get (weak);
  g_autoptr(GError) error = NULL;
  NMClient *client;
  const GPtrArray *devices;

  g_weak_ref_clear (weak);
  g_free (weak);
  /* libnm may finish a start that was cancelled: the model may be gone. */
  client = nm_client_new_finish (result, &error);
  if (client == NULL || self == NULL)
    {
      /* No system bus at all (a container, a sandbox without the permission). */
      if (client == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("no NetworkManager: %s", error->message);
      g_clear_object (&client);
      return;
    }
  self->client = client;

  g_signal_connect_object (client, "notify::nm-running", G_CALLBACK (nm_running_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (client, "notify::wireless-enabled", G_CALLBACK (client_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (client, "notify::wireless-hardware-enabled",
                           G_CALLBACK (client_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (client, "device-added", G_CALLBACK (device_added_cb), self, 0);
  g_signal_connect_object (client, "device-removed", G_CALLBACK (client_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (client, "connection-added", G_CALLBACK (schedule_refresh), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (client, "connection-removed", G_CALLBACK (schedule_refresh), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (client, "active-connection-removed", G_CALLBACK (schedule_refresh), self,
                           G_CONNECT_SWAPPED);

  devices = nm_client_get_devices (client);
  for (guint i = 0; i < devices->len; i++)
    watch_device (self, g_ptr_array_index (devices, i));
  client_changed (self);
  if (self->scanning)
    request_scans (self);
}

/* GObject */

/* Before letting go of libnm's objects, which emit signals as they go. */
static void
disconnect_all (OwsWifi *self)
{
  const GPtrArray *devices;

  if (self->attempt_active != NULL)
    g_signal_handlers_disconnect_by_data (self->attempt_active, self);
  if (self->client == NULL)
    return;
  devices = nm_client_get_devices (self->client);
  for (guint i = 0; i < devices->len; i++)
    {
      NMDevice *device = g_ptr_array_index (devices, i);

      g_signal_handlers_disconnect_by_data (device, self);
      if (NM_IS_DEVICE_WIFI (device))
        {
          const GPtrArray *aps = nm_device_wifi_get_access_points (NM_DEVICE_WIFI (device));

          for (guint j = 0; j < aps->len; j++)
            g_signal_handlers_disconnect_by_data (g_ptr_array_index (aps, j), self);
        }
    }
  g_signal_handlers_disconnect_by_data (self->client, self);
}

static void
ows_wifi_dispose (GObject *object)
{
  OwsWifi *self = OWS_WIFI (object);

  self->disposed = TRUE;
  disconnect_all (self);
  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->attempt_cancellable);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_handle_id (&self->scan_id, g_source_remove);
  g_clear_object (&self->attempt_cancellable);
  g_clear_object (&self->attempt_device);
  g_clear_object (&self->attempt_active);
  g_clear_object (&self->client);
  G_OBJECT_CLASS (ows_wifi_parent_class)->dispose (object);
}

static void
ows_wifi_finalize (GObject *object)
{
  OwsWifi *self = OWS_WIFI (object);

  g_ptr_array_unref (self->networks);
  g_clear_object (&self->cancellable);
  g_free (self->attempt_ssid);
  g_clear_pointer (&self->attempt_ssid_bytes, g_bytes_unref);
  g_free (self->attempt_error);
  G_OBJECT_CLASS (ows_wifi_parent_class)->finalize (object);
}

static void
ows_wifi_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  OwsWifi *self = OWS_WIFI (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_WIRED:
      g_value_set_boolean (value, self->wired);
      break;
    case PROP_ATTEMPT:
      g_value_set_enum (value, self->attempt);
      break;
    case PROP_SCANNING:
      g_value_set_boolean (value, self->scanning);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ows_wifi_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_SCANNING:
      ows_wifi_set_scanning (OWS_WIFI (object), g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ows_wifi_class_init (OwsWifiClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ows_wifi_dispose;
  object_class->finalize = ows_wifi_finalize;
  object_class->get_property = ows_wifi_get_property;
  object_class->set_property = ows_wifi_set_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, OWS_TYPE_WIFI_STATE, OWS_WIFI_STATE_ABSENT,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_WIRED] =
    g_param_spec_boolean ("wired", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* Notified also when a new attempt ends as the last one did (another
   * wrong password): the page says it again. */
  properties[PROP_ATTEMPT] =
    g_param_spec_enum ("attempt", NULL, NULL, OWS_TYPE_WIFI_ATTEMPT, OWS_WIFI_ATTEMPT_NONE,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SCANNING] =
    g_param_spec_boolean ("scanning", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ows_wifi_init (OwsWifi *self)
{
  self->networks = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
}

OwsWifi *
ows_wifi_new (void)
{
  OwsWifi *self = g_object_new (OWS_TYPE_WIFI, NULL);
  GWeakRef *weak = g_new0 (GWeakRef, 1);

  /* Not a reference: a model dropped before NetworkManager answered goes at once. */
  g_weak_ref_init (weak, self);
  nm_client_new_async (self->cancellable, client_ready_cb, weak);
  return self;
}

OwsWifiState
ows_wifi_get_state (OwsWifi *self)
{
  g_return_val_if_fail (OWS_IS_WIFI (self), OWS_WIFI_STATE_ABSENT);
  return self->state;
}

gboolean
ows_wifi_get_wired (OwsWifi *self)
{
  g_return_val_if_fail (OWS_IS_WIFI (self), FALSE);
  return self->wired;
}

OwsWifiAttempt
ows_wifi_get_attempt (OwsWifi *self)
{
  g_return_val_if_fail (OWS_IS_WIFI (self), OWS_WIFI_ATTEMPT_NONE);
  return self->attempt;
}

const char *
ows_wifi_get_attempt_ssid (OwsWifi *self)
{
  g_return_val_if_fail (OWS_IS_WIFI (self), NULL);
  return self->attempt_ssid;
}

OwsWifiSecurity
ows_wifi_get_attempt_security (OwsWifi *self)
{
  g_return_val_if_fail (OWS_IS_WIFI (self), OWS_WIFI_SECURITY_NONE);
  return self->attempt_security;
}

const char *
ows_wifi_get_attempt_error (OwsWifi *self)
{
  g_return_val_if_fail (OWS_IS_WIFI (self), NULL);
  return self->attempt == OWS_WIFI_ATTEMPT_FAILED ? self->attempt_error : NULL;
}

void
ows_wifi_set_scanning (OwsWifi  *self,
                       gboolean  scanning)
{
  g_return_if_fail (OWS_IS_WIFI (self));

  scanning = !!scanning;
  if (self->scanning == scanning)
    return;
  self->scanning = scanning;
  g_clear_handle_id (&self->scan_id, g_source_remove);
  if (scanning)
    {
      request_scans (self);
      self->scan_id = g_timeout_add_seconds (SCAN_INTERVAL_S, scan_tick_cb, self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCANNING]);
}

gboolean
ows_wifi_get_scanning (OwsWifi *self)
{
  g_return_val_if_fail (OWS_IS_WIFI (self), FALSE);
  return self->scanning;
}

static NMDevice *
first_device (OwsWifi *self)
{
  g_autoptr(GPtrArray) devices = wifi_devices (self);

  return devices->len > 0 ? g_ptr_array_index (devices, 0) : NULL;
}

/* The strongest access point of @ssid, for NetworkManager's "specific object". */
static NMAccessPoint *
best_access_point (NMDevice *device,
                   GBytes   *ssid)
{
  const GPtrArray *aps = nm_device_wifi_get_access_points (NM_DEVICE_WIFI (device));
  NMAccessPoint *best = NULL;

  for (guint i = 0; i < aps->len; i++)
    {
      NMAccessPoint *ap = g_ptr_array_index (aps, i);
      GBytes *ap_ssid = nm_access_point_get_ssid (ap);

      if (ap_ssid != NULL && g_bytes_equal (ap_ssid, ssid) &&
          (best == NULL || nm_access_point_get_strength (ap) > nm_access_point_get_strength (best)))
        best = ap;
    }
  return best;
}

/* Only what NetworkManager cannot guess: it completes the rest (IP
 * methods, the interface) as it does for GNOME's own dialogs. */
static NMConnection *
new_profile (GBytes          *ssid,
             const char      *name,
             gboolean         hidden,
             OwsWifiSecurity  security,
             const char      *password)
{
  NMConnection *connection = nm_simple_connection_new ();
  NMSetting *setting;
  g_autofree char *uuid = nm_utils_uuid_generate ();

  setting = nm_setting_connection_new ();
  g_object_set (setting,
                NM_SETTING_CONNECTION_ID, name,
                NM_SETTING_CONNECTION_UUID, uuid,
                NM_SETTING_CONNECTION_TYPE, NM_SETTING_WIRELESS_SETTING_NAME,
                NM_SETTING_CONNECTION_AUTOCONNECT, TRUE,
                NULL);
  nm_connection_add_setting (connection, setting);

  setting = nm_setting_wireless_new ();
  g_object_set (setting,
                NM_SETTING_WIRELESS_SSID, ssid,
                NM_SETTING_WIRELESS_MODE, NM_SETTING_WIRELESS_MODE_INFRA,
                NM_SETTING_WIRELESS_HIDDEN, hidden,
                NULL);
  nm_connection_add_setting (connection, setting);

  if (security == OWS_WIFI_SECURITY_PERSONAL || security == OWS_WIFI_SECURITY_SAE)
    {
      setting = nm_setting_wireless_security_new ();
      /* Stored by NetworkManager in the profile (no agent on a kiosk). */
      g_object_set (setting,
                    NM_SETTING_WIRELESS_SECURITY_KEY_MGMT,
                    security == OWS_WIFI_SECURITY_SAE ? "sae" : "wpa-psk",
                    NM_SETTING_WIRELESS_SECURITY_PSK, password,
                    NULL);
      nm_connection_add_setting (connection, setting);
    }
  return connection;
}

static void
begin_attempt (OwsWifi         *self,
               NMDevice        *device,
               GBytes          *ssid,
               const char      *name,
               OwsWifiSecurity  security)
{
  /* A new attempt replaces the last one and its call in flight. */
  set_attempt (self, OWS_WIFI_ATTEMPT_NONE, NULL);
  self->attempt_ssid = g_strdup (name);
  self->attempt_ssid_bytes = g_bytes_ref (ssid);
  self->attempt_security = security;
  self->attempt_device = g_object_ref (device);
  self->attempt_cancellable = g_cancellable_new ();
  set_attempt (self, OWS_WIFI_ATTEMPT_CONNECTING, NULL);
}

static gboolean
join (OwsWifi         *self,
      GBytes          *ssid,
      const char      *name,
      gboolean         hidden,
      OwsWifiSecurity  security,
      const char      *password)
{
  NMDevice *device = first_device (self);
  NMRemoteConnection *profile;
  NMAccessPoint *ap;
  g_autoptr(NMConnection) connection = NULL;

  if (device == NULL || self->state != OWS_WIFI_STATE_READY)
    return FALSE;

  profile = find_profile (self, ssid);
  if (profile != NULL && password == NULL)
    {
      begin_attempt (self, device, ssid, name, security);
      nm_client_activate_connection_async (self->client, NM_CONNECTION (profile), device, NULL,
                                           self->attempt_cancellable, activate_cb,
                                           g_object_ref (self));
      return TRUE;
    }

  if (!ows_wifi_password_is_valid (security, password) ||
      security == OWS_WIFI_SECURITY_ENTERPRISE || security == OWS_WIFI_SECURITY_WEP)
    return FALSE;

  ap = hidden ? NULL : best_access_point (device, ssid);
  connection = new_profile (ssid, name, hidden, security, password);
  begin_attempt (self, device, ssid, name, security);
  nm_client_add_and_activate_connection_async (self->client, connection, device,
                                               ap != NULL ? nm_object_get_path (NM_OBJECT (ap)) : NULL,
                                               self->attempt_cancellable, add_and_activate_cb,
                                               g_object_ref (self));
  return TRUE;
}

gboolean
ows_wifi_connect (OwsWifi        *self,
                  OwsWifiNetwork *network,
                  const char     *password)
{
  g_return_val_if_fail (OWS_IS_WIFI (self), FALSE);
  g_return_val_if_fail (OWS_IS_WIFI_NETWORK (network), FALSE);

  if (!ows_wifi_network_is_supported (network))
    return FALSE;
  return join (self, ows_wifi_network_get_ssid_bytes (network), ows_wifi_network_get_ssid (network),
               FALSE, ows_wifi_network_get_security (network), password);
}

gboolean
ows_wifi_connect_hidden (OwsWifi         *self,
                         const char      *ssid,
                         OwsWifiSecurity  security,
                         const char      *password)
{
  g_autoptr(GBytes) bytes = NULL;
  gsize len;

  g_return_val_if_fail (OWS_IS_WIFI (self), FALSE);

  /* An SSID is 1 to 32 bytes. */
  len = ssid != NULL ? strlen (ssid) : 0;
  if (len == 0 || len > 32 || !g_utf8_validate (ssid, -1, NULL))
    return FALSE;
  if (security == OWS_WIFI_SECURITY_NONE)
    password = NULL;
  else if (password == NULL)
    return FALSE;
  bytes = g_bytes_new (ssid, len);
  /* A hidden network always gets a new profile: the password typed is the one to use. */
  return join (self, bytes, ssid, TRUE, security, password);
}

void
ows_wifi_cancel (OwsWifi *self)
{
  g_return_if_fail (OWS_IS_WIFI (self));

  if (self->attempt != OWS_WIFI_ATTEMPT_CONNECTING)
    return;
  if (self->attempt_active != NULL && self->client != NULL)
    nm_client_deactivate_connection_async (self->client, self->attempt_active, NULL, NULL, NULL);
  set_attempt (self, OWS_WIFI_ATTEMPT_NONE, NULL);
}

void
ows_wifi_reset_attempt (OwsWifi *self)
{
  g_return_if_fail (OWS_IS_WIFI (self));

  if (self->attempt != OWS_WIFI_ATTEMPT_CONNECTING)
    set_attempt (self, OWS_WIFI_ATTEMPT_NONE, NULL);
}

static void
enabled_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!nm_client_dbus_set_property_finish (NM_CLIENT (source), result, &error))
    g_debug ("Wi-Fi stays off: %s", error->message);
}

void
ows_wifi_enable (OwsWifi *self)
{
  g_return_if_fail (OWS_IS_WIFI (self));

  if (self->client == NULL)
    return;
  nm_client_dbus_set_property (self->client, NM_DBUS_PATH, NM_DBUS_INTERFACE, "WirelessEnabled",
                               g_variant_new_boolean (TRUE), -1, self->cancellable, enabled_cb,
                               NULL);
}

/* ows-wifi-private.h */

NMClient *
ows_wifi_get_client (OwsWifi *self)
{
  g_return_val_if_fail (OWS_IS_WIFI (self), NULL);
  return self->client;
}

NMDevice *
ows_wifi_get_device (OwsWifi *self)
{
  g_return_val_if_fail (OWS_IS_WIFI (self), NULL);
  return first_device (self);
}

gboolean
ows_wifi_join_ssid (OwsWifi         *self,
                    const char      *ssid,
                    gboolean         hidden,
                    OwsWifiSecurity  security,
                    const char      *password)
{
  g_autoptr(GBytes) bytes = NULL;
  gsize len;

  g_return_val_if_fail (OWS_IS_WIFI (self), FALSE);

  len = ssid != NULL ? strlen (ssid) : 0;
  if (len == 0 || len > 32 || !g_utf8_validate (ssid, -1, NULL))
    return FALSE;
  if (security == OWS_WIFI_SECURITY_NONE)
    password = NULL;
  bytes = g_bytes_new (ssid, len);
  return join (self, bytes, ssid, hidden, security, password);
}
