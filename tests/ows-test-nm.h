/* ows-test-nm.h: a mock NetworkManager (python3-dbusmock) on a private system bus, driven from a test.
 * SPDX-License-Identifier: Apache-2.0
 *
 * One dbus-daemon for the whole test process, started on first use and
 * exported as DBUS_SYSTEM_BUS_ADDRESS (GIO caches the system bus per process:
 * nothing may touch it before); one mock process per OwsTestNm, which a test
 * can stop (NetworkManager goes away) and start again (it comes back empty).
 * Every call is synchronous and aborts the test on failure.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Well-known paths and interfaces of NetworkManager's D-Bus API. */
#define OWS_TEST_NM_BUS_NAME       "org.freedesktop.NetworkManager"
#define OWS_TEST_NM_PATH           "/org/freedesktop/NetworkManager"
#define OWS_TEST_NM_SETTINGS_PATH  "/org/freedesktop/NetworkManager/Settings"
#define OWS_TEST_NM_IFACE          "org.freedesktop.NetworkManager"
#define OWS_TEST_NM_DEVICE_IFACE   "org.freedesktop.NetworkManager.Device"
#define OWS_TEST_NM_WIRELESS_IFACE "org.freedesktop.NetworkManager.Device.Wireless"
#define OWS_TEST_NM_AP_IFACE       "org.freedesktop.NetworkManager.AccessPoint"
#define OWS_TEST_NM_SETTINGS_IFACE "org.freedesktop.NetworkManager.Settings"
#define OWS_TEST_NM_ACTIVE_IFACE   "org.freedesktop.NetworkManager.Connection.Active"

/* NMDeviceState and NMDeviceStateReason values the tests use. */
#define OWS_TEST_NM_DEVICE_DISCONNECTED 30
#define OWS_TEST_NM_DEVICE_CONFIG       50
#define OWS_TEST_NM_DEVICE_ACTIVATED    100
#define OWS_TEST_NM_DEVICE_FAILED       120
#define OWS_TEST_NM_REASON_NONE              0
#define OWS_TEST_NM_REASON_IP_CONFIG_UNAVAILABLE 5
#define OWS_TEST_NM_REASON_NO_SECRETS        7
#define OWS_TEST_NM_REASON_SSID_NOT_FOUND    53

/* NM80211ApSecurityFlags (the key management bits the template knows). */
#define OWS_TEST_NM_SEC_NONE  0x000
#define OWS_TEST_NM_SEC_PSK   0x100
#define OWS_TEST_NM_SEC_8021X 0x200
#define OWS_TEST_NM_SEC_SAE   0x400

/* How a replaced AddAndActivateConnection answers (ows_test_nm_replace_add_and_activate). */
typedef enum
{
  /* the template's own: the profile is made from the access point, activated at once */
  OWS_TEST_NM_ACTIVATE_TEMPLATE,
  /* a profile from the settings sent, its active connection ACTIVATED, the device
   * ACTIVATED: any access point, "/" (a hidden network) and SAE included */
  OWS_TEST_NM_ACTIVATE_ACTIVATED,
  /* the same, but left ACTIVATING with the device in CONFIG: an attempt in progress */
  OWS_TEST_NM_ACTIVATE_PENDING,
  /* raises org.freedesktop.NetworkManager.AgentManager.NoSecrets; nothing is made */
  OWS_TEST_NM_ACTIVATE_NO_SECRETS,
} OwsTestNmActivate;

typedef struct _OwsTestNm OwsTestNm;

gboolean         ows_test_nm_available          (void);
void             ows_test_nm_ensure_bus         (void);
GDBusConnection *ows_test_nm_get_connection     (void);

OwsTestNm   *ows_test_nm_new                 (gboolean     start);
void         ows_test_nm_free                (OwsTestNm   *nm);
void         ows_test_nm_start               (OwsTestNm   *nm);
void         ows_test_nm_stop                (OwsTestNm   *nm);
gboolean     ows_test_nm_is_running          (OwsTestNm   *nm);

/* The template's methods. Paths returned are transfer full. */
char        *ows_test_nm_add_wifi_device     (OwsTestNm   *nm,
                                              const char  *name,
                                              const char  *iface,
                                              guint        state);
char        *ows_test_nm_add_ethernet_device (OwsTestNm   *nm,
                                              const char  *name,
                                              const char  *iface,
                                              guint        state);
char        *ows_test_nm_add_access_point    (OwsTestNm   *nm,
                                              const char  *device,
                                              const char  *ap_name,
                                              const char  *ssid,
                                              guint        strength,
                                              guint        security);
char        *ows_test_nm_add_access_point_full (OwsTestNm *nm,
                                              const char  *device,
                                              const char  *ap_name,
                                              const char  *ssid,
                                              const char  *hw_address,
                                              guint        mode,
                                              guint        frequency,
                                              guint        rate,
                                              guint        strength,
                                              guint        security);
void         ows_test_nm_remove_access_point (OwsTestNm   *nm,
                                              const char  *device,
                                              const char  *ap);
char        *ows_test_nm_add_wifi_connection (OwsTestNm   *nm,
                                              const char  *device,
                                              const char  *connection_name,
                                              const char  *ssid,
                                              const char  *key_mgmt);
char        *ows_test_nm_add_active_connection (OwsTestNm *nm,
                                              const char  *device,
                                              const char  *connection,
                                              const char  *specific_object,
                                              const char  *name,
                                              guint        state);
void         ows_test_nm_set_device_active   (OwsTestNm   *nm,
                                              const char  *device,
                                              const char  *active_connection);
void         ows_test_nm_set_device_disconnected (OwsTestNm *nm,
                                              const char  *device);
void         ows_test_nm_set_connectivity    (OwsTestNm   *nm,
                                              guint        connectivity);
/* Sets the property and emits the interface's own PropertiesChanged (floating @value is sunk). */
void         ows_test_nm_set_property        (OwsTestNm   *nm,
                                              const char  *path,
                                              const char  *iface,
                                              const char  *name,
                                              GVariant    *value);

/* Any object of the mock. */
GVariant    *ows_test_nm_get_property        (OwsTestNm   *nm,
                                              const char  *path,
                                              const char  *iface,
                                              const char  *name);
void         ows_test_nm_update_properties   (OwsTestNm   *nm,
                                              const char  *path,
                                              const char  *iface,
                                              GVariant    *properties);
void         ows_test_nm_emit_signal         (OwsTestNm   *nm,
                                              const char  *path,
                                              const char  *iface,
                                              const char  *name,
                                              const char  *signature,
                                              GVariant    *args);
void         ows_test_nm_add_method          (OwsTestNm   *nm,
                                              const char  *path,
                                              const char  *iface,
                                              const char  *name,
                                              const char  *in_sig,
                                              const char  *out_sig,
                                              const char  *code);
void         ows_test_nm_remove_object       (OwsTestNm   *nm,
                                              const char  *path);
GPtrArray   *ows_test_nm_get_method_calls    (OwsTestNm   *nm,
                                              const char  *path,
                                              const char  *method);
guint        ows_test_nm_count_calls         (OwsTestNm   *nm,
                                              const char  *path,
                                              const char  *method);
gboolean     ows_test_nm_wait_calls          (OwsTestNm   *nm,
                                              const char  *path,
                                              const char  *method,
                                              guint        count,
                                              guint        timeout_ms);
void         ows_test_nm_clear_calls         (OwsTestNm   *nm,
                                              const char  *path);

/* Built on the above. */
char        *ows_test_nm_add_connection      (OwsTestNm   *nm,
                                              GVariant    *settings);
char        *ows_test_nm_activate_wifi       (OwsTestNm   *nm,
                                              const char  *device,
                                              const char  *connection,
                                              const char  *ap);
void         ows_test_nm_deactivate          (OwsTestNm   *nm,
                                              const char  *active_connection);
void         ows_test_nm_set_device_state    (OwsTestNm   *nm,
                                              const char  *device,
                                              guint        state,
                                              guint        reason);
void         ows_test_nm_remove_device       (OwsTestNm   *nm,
                                              const char  *device);
void         ows_test_nm_replace_add_and_activate (OwsTestNm *nm,
                                              OwsTestNmActivate how);
char       **ows_test_nm_dup_connections     (OwsTestNm   *nm);
GVariant    *ows_test_nm_lookup_setting      (GVariant    *settings,
                                              const char  *setting,
                                              const char  *key);
/* A property the template's object lacks (Mock.AddProperty; floating @value is
 * sunk); says nothing: set it with ows_test_nm_set_property for libnm to hear. */
void         ows_test_nm_add_property        (OwsTestNm   *nm,
                                              const char  *path,
                                              const char  *iface,
                                              const char  *name,
                                              GVariant    *value);
/* @device gets an IP4Config object with @address/@prefix (its Ip4Config, told).
 * Returns the config's path. */
char        *ows_test_nm_add_ip4_config      (OwsTestNm   *nm,
                                              const char  *device,
                                              const char  *address,
                                              guint        prefix);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwsTestNm, ows_test_nm_free)

G_END_DECLS
