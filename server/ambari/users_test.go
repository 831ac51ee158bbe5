package ambari_test

import (
	"net/http"
	"testing"

	"github.com/ambitkit/ambit/server"
	"github.com/google/go-cmp/cmp"
)

// TestUsersAndPrivileges manages users and cluster privileges as Ambari's
// clients do: a user created through the API logs in at once, sees the
// cluster once a privilege grants it, and writes only with an operator's.
func TestUsersAndPrivileges(t *testing.T) {
	admin, err := server.NewUser("admin", server.Administrator)
	if err != nil {
		t.Fatal(err)
	}
	srv, _ := fixture(t, server.WithUsers(server.Users{"admin": admin}))
	as := func(user, pass, method, path, body string) response {
		t.Helper()
		return do(t, srv, method, path, body, "Authorization", basic(user, pass))
	}
	steps := []struct {
		user, pass, method, path, body string
		want                           int
	}{
		{"admin", "admin", "POST", "/api/v1/users", `{"Users/user_name": "ops", "Users/password": "s3cret", "Users/admin": false, "Users/active": true}`, 201},
		{"admin", "admin", "POST", "/api/v1/users/ops", `{"Users/password": "again"}`, 409},
		{"ops", "s3cret", "GET", "/api/v1/users/ops", "", 200},
		{"ops", "s3cret", "GET", "/api/v1/users/admin", "", 404},
		{"ops", "s3cret", "GET", "/api/v1/clusters/c1", "", 404}, // no privilege yet
		{"ops", "s3cret", "POST", "/api/v1/users/x", `{"Users/password": "x"}`, 403},
		{"admin", "admin", "POST", "/api/v1/clusters/c1/privileges", `[{"PrivilegeInfo": {"permission_name": "CLUSTER.USER", "principal_name": "ops", "principal_type": "USER"}}]`, 201},
		{"ops", "s3cret", "GET", "/api/v1/clusters/c1", "", 200},
		{"ops", "s3cret", "PUT", "/api/v1/clusters/c1/hosts/h1", `{"Hosts": {"rack_info": "/r"}}`, 403},
		{"admin", "admin", "POST", "/api/v1/clusters/c1/privileges", `{"PrivilegeInfo": {"permission_name": "CLUSTER.OPERATOR", "principal_name": "ops", "principal_type": "USER"}}`, 201},
		{"ops", "s3cret", "PUT", "/api/v1/clusters/c1/hosts/h1", `{"Hosts": {"rack_info": "/r"}}`, 200},
		{"ops", "s3cret", "PUT", "/api/v1/users/ops", `{"Users/password": "n3w", "Users/old_password": "wrong"}`, 403},
		{"ops", "s3cret", "PUT", "/api/v1/users/ops", `{"Users/password": "n3w", "Users/old_password": "s3cret"}`, 200},
		{"ops", "s3cret", "GET", "/api/v1/clusters/c1", "", 401},
		{"ops", "n3w", "GET", "/api/v1/clusters/c1", "", 200},
		{"ops", "n3w", "PUT", "/api/v1/users/ops", `{"Users/admin": true}`, 403},
		{"admin", "admin", "PUT", "/api/v1/users/ops", `{"Users/active": false}`, 200},
		{"ops", "n3w", "GET", "/api/v1/clusters/c1", "", 401},
		{"admin", "admin", "DELETE", "/api/v1/users/ops", "", 200},
		{"admin", "admin", "GET", "/api/v1/users/ops", "", 404},
		{"admin", "admin", "POST", "/api/v1/clusters/c1/privileges", `{"PrivilegeInfo": {"permission_name": "CLUSTER.GOD", "principal_name": "admin", "principal_type": "USER"}}`, 400},
	}
	for i, st := range steps {
		if r := as(st.user, st.pass, st.method, st.path, st.body); r.status != st.want {
			t.Fatalf("step %d: %s %s as %s = %d %s, want %d", i, st.method, st.path, st.user, r.status, r.raw, st.want)
		}
		if i == 10 { // the privileges, as Ambari lists them (before the password changes)
			r := as("admin", "admin", "GET", "/api/v1/clusters/c1/privileges", "")
			var got []any
			for _, it := range r.body["items"].([]any) {
				got = append(got, it.(map[string]any)["PrivilegeInfo"])
			}
			want := []any{
				map[string]any{"permission_name": "CLUSTER.ADMINISTRATOR", "principal_name": "admin", "principal_type": "USER", "cluster_name": "c1"},
				map[string]any{"permission_name": "CLUSTER.OPERATOR", "principal_name": "ops", "principal_type": "USER", "cluster_name": "c1"},
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("privileges (-want +got)\n%s", diff)
			}
		}
	}
	r := as("admin", "admin", "GET", "/api/v1/users", "")
	if diff := cmp.Diff([]any{map[string]any{"href": srv.URL + "/api/v1/users/admin", "Users": map[string]any{"user_name": "admin"}}}, r.body["items"]); diff != "" || r.status != http.StatusOK {
		t.Errorf("users (-want +got)\n%s", diff)
	}
}
