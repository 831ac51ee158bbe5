package cluster

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestStateNames(t *testing.T) {
	for s := Init; s <= Unknown; s++ {
		got, err := ParseState(s.String())
		if err != nil || got != s {
			t.Errorf("ParseState(%s) = %v, %v", s, got, err)
		}
	}
	if _, err := ParseState("started"); err == nil {
		t.Error("state names are case-sensitive, as Ambari's")
	}
}

func TestDesiredAndLiveTransitions(t *testing.T) {
	desired := map[[2]State]bool{
		{Init, Installed}: true, {Started, Installed}: true, {Stopping, Installed}: true,
		{Installed, Started}: true, {Started, Started}: true,
		{Init, Started}: false, {InstallFailed, Started}: false, {Installed, Init}: false, {Installing, Installed}: false,
	}
	for tr, want := range desired {
		if got := CanDesire(tr[0], tr[1]); got != want {
			t.Errorf("CanDesire(%s → %s) = %v, want %v", tr[0], tr[1], got, want)
		}
	}
	live := map[[2]State]bool{
		{InstallFailed, Installed}: true, {Unknown, Installed}: true, {Starting, Started}: true,
		{Init, Started}: false, {InstallFailed, Started}: false, {WipingOut, Init}: true, {Started, Uninstalled}: false,
		{Unknown, Disabled}: true, {Started, Disabled}: false,
	}
	for tr, want := range live {
		if got := CanDrive(tr[0], tr[1]); got != want {
			t.Errorf("CanDrive(%s → %s) = %v, want %v", tr[0], tr[1], got, want)
		}
	}
	for s, want := range map[State]bool{Init: true, Installed: true, InstallFailed: true, Started: false, Starting: false, Stopping: false} {
		if Removable(s) != want {
			t.Errorf("Removable(%s) = %v", s, !want)
		}
	}
	for s, want := range map[State]bool{Init: true, Installed: true, Started: true, Uninstalled: true, Disabled: true, Starting: false, Unknown: false} {
		if ValidDesired(s) != want {
			t.Errorf("ValidDesired(%s) = %v", s, !want)
		}
	}
}

// TestFSM walks the daemon and client FSMs through the paths tasks take.
func TestFSM(t *testing.T) {
	type step struct {
		e    Event
		want State
	}
	walk := func(name string, client bool, from State, steps []step) {
		t.Helper()
		s := from
		for i, st := range steps {
			next, err := Next(s, st.e, client)
			if err != nil || next != st.want {
				t.Errorf("%s step %d: %s on %s = %s, %v; want %s", name, i, s, st.e, next, err, st.want)
				return
			}
			s = next
		}
	}
	walk("install, start, stop", false, Init, []step{
		{EventInstall, Installing}, {EventOpInProgress, Installing}, {EventOpSucceeded, Installed},
		{EventStart, Starting}, {EventOpInProgress, Starting}, {EventStarted, Started},
		{EventStop, Stopping}, {EventStopped, Installed},
	})
	walk("failures roll back", false, Init, []step{
		{EventInstall, Installing}, {EventOpFailed, InstallFailed}, {EventInstall, Installing}, {EventOpSucceeded, Installed},
		{EventStart, Starting}, {EventOpFailed, Installed}, {EventStart, Starting}, {EventStarted, Started},
		{EventStop, Stopping}, {EventOpFailed, Started},
	})
	walk("client install", true, Init, []step{
		{EventInstall, Installing}, {EventOpFailed, InstallFailed}, {EventOpInProgress, InstallFailed},
		{EventInstall, Installing}, {EventOpSucceeded, Installed},
	})
	walk("uninstall and wipe out", false, Installed, []step{
		{EventUninstall, Uninstalling}, {EventOpSucceeded, Uninstalled}, {EventWipeout, WipingOut}, {EventOpSucceeded, Init},
	})
	for _, bad := range []struct {
		s      State
		e      Event
		client bool
	}{{Init, EventStart, false}, {Installed, EventStart, true}, {Started, EventInstall, false}, {InstallFailed, EventOpInProgress, false}} {
		next, err := Next(bad.s, bad.e, bad.client)
		if err == nil || next != bad.s || !strings.Contains(err.Error(), bad.s.String()) {
			t.Errorf("Next(%s, %s, client=%v) = %s, %v; want an error naming the state", bad.s, bad.e, bad.client, next, err)
		}
	}
}

func TestPlanFor(t *testing.T) {
	tests := []struct {
		live, target State
		cat          Category
		want         plan
		err          string
	}{
		{Init, Installed, Master, plan{command: Install}, ""},
		{InstallFailed, Installed, Slave, plan{command: Install}, ""},
		{Started, Installed, Master, plan{command: Stop}, ""},
		{Installed, Started, Slave, plan{command: Start}, ""},
		{Installed, Installed, Master, plan{}, ""},
		{Installed, Started, Client, plan{}, ""}, // clients never start
		{Installed, Init, Master, plan{direct: true}, ""},
		{Installed, Uninstalled, Master, plan{command: Uninstall}, ""},
		{Init, Started, Master, plan{}, "cannot move from INIT to STARTED"},
		{Starting, Installed, Master, plan{}, "cannot move from STARTING to INSTALLED"},
	}
	for _, tt := range tests {
		got, err := planFor(tt.live, tt.target, tt.cat)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("planFor(%s→%s) error %v, want %q", tt.live, tt.target, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("planFor(%s→%s, %s) = %+v, %v; want %+v", tt.live, tt.target, tt.cat, got, err, tt.want)
		}
	}
}

func TestServiceState(t *testing.T) {
	m := func(c Category, s State) Member { return Member{Category: c, State: s} }
	tests := []struct {
		members []Member
		want    State
	}{
		{[]Member{m(Master, Started), m(Master, Started), m(Slave, Installed), m(Client, Installed)}, Started},
		{[]Member{m(Master, Started), m(Master, Installed)}, Installed},
		{[]Member{m(Master, Installed), m(Master, InstallFailed)}, Installed}, // INSTALLED is "worse" than INSTALL_FAILED by order
		{[]Member{m(Master, Starting), m(Master, Installed)}, Starting},
		{[]Member{m(Slave, Started), m(Slave, Started), m(Client, Init)}, Started},
		{[]Member{m(Slave, Started), m(Slave, Stopping)}, Stopping},
		{[]Member{m(Client, Installed), m(Client, Installed)}, Installed},
		{[]Member{m(Client, Installed), m(Client, Init)}, Init},
		{[]Member{{Category: Master, State: Installed, Maintenance: true}, m(Master, Started)}, Started},
		{nil, Unknown},
	}
	for i, tt := range tests {
		if got := ServiceState(tt.members); got != tt.want {
			t.Errorf("case %d: ServiceState = %s, want %s", i, got, tt.want)
		}
	}
}

func TestCountsSummaryAndProgress(t *testing.T) {
	c := func(kv ...int) Counts {
		var out Counts
		for i := 0; i < len(kv); i += 2 {
			out[kv[i]] = kv[i+1]
		}
		return out
	}
	tests := []struct {
		counts   Counts
		status   Status
		progress float64
	}{
		{Counts{}, Completed, 100},
		{c(int(Pending), 4), Pending, 0},
		{c(int(Pending), 2, int(Queued), 2), InProgress, 4.5},
		{c(int(Queued), 1, int(InProgress), 1, int(Completed), 2), InProgress, 61},
		{c(int(Completed), 3, int(Failed), 1), Failed, 100},
		{c(int(InProgress), 1, int(TimedOut), 1), TimedOut, 67.5},
		{c(int(Completed), 1, int(Aborted), 3), Aborted, 100},
		{c(int(Pending), 1, int(Aborted), 3), InProgress, 75},
		{c(int(Completed), 5), Completed, 100},
		{c(int(Queued), 3), InProgress, 9},
	}
	for _, tt := range tests {
		if got := tt.counts.Summary(); got != tt.status {
			t.Errorf("%v: Summary = %s, want %s", tt.counts, got, tt.status)
		}
		if got := tt.counts.Progress(); got != tt.progress {
			t.Errorf("%v: Progress = %v, want %v", tt.counts, got, tt.progress)
		}
	}
}

func TestStages(t *testing.T) {
	s := BuiltinStack()
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in   []string
		want [][]string
	}{
		{[]string{"CONNECT_WORKER-START", "KAFKA_BROKER-START", "ZOOKEEPER_SERVER-START", "NAMENODE-START", "DATANODE-START"},
			[][]string{{"NAMENODE-START", "ZOOKEEPER_SERVER-START"}, {"DATANODE-START", "KAFKA_BROKER-START"}, {"CONNECT_WORKER-START"}}},
		{[]string{"ZOOKEEPER_SERVER-STOP", "KAFKA_BROKER-STOP", "CONNECT_WORKER-STOP"},
			[][]string{{"CONNECT_WORKER-STOP"}, {"KAFKA_BROKER-STOP"}, {"ZOOKEEPER_SERVER-STOP"}}},
		{[]string{"KAFKA_BROKER-INSTALL", "ZOOKEEPER_SERVER-INSTALL"}, [][]string{{"ZOOKEEPER_SERVER-INSTALL"}, {"KAFKA_BROKER-INSTALL"}}},
		{[]string{"DATANODE-INSTALL", "NAMENODE-INSTALL"}, [][]string{{"DATANODE-INSTALL", "NAMENODE-INSTALL"}}},
		{[]string{"KAFKA_BROKER-START"}, [][]string{{"KAFKA_BROKER-START"}}}, // a blocker not in the request does not block
		{nil, nil},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, s.Stages(tt.in)); diff != "" {
			t.Errorf("Stages(%v) (-want +got)\n%s", tt.in, diff)
		}
	}
	s.Order["ZOOKEEPER_SERVER-START"] = []string{"CONNECT_WORKER-START"} // a cycle
	got := s.Stages([]string{"CONNECT_WORKER-START", "KAFKA_BROKER-START", "ZOOKEEPER_SERVER-START", "HDFS_CLIENT-INSTALL"})
	want := [][]string{{"HDFS_CLIENT-INSTALL"}, {"CONNECT_WORKER-START", "KAFKA_BROKER-START", "ZOOKEEPER_SERVER-START"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("a cycle (-want +got)\n%s", diff)
	}
}

func TestLoadStack(t *testing.T) {
	good := `{"name":"S","version":"1","services":[{"name":"ZK","components":[{"name":"ZK_SERVER","category":"MASTER","commands":{"START":"zk start"}}]}],
		"role_command_order":{"ZK_SERVER-START":[]}}`
	s, err := LoadStack(strings.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	if c, svc, ok := s.Component("ZK_SERVER"); !ok || svc.Name != "ZK" || c.Commands["START"] != "zk start" {
		t.Errorf("Component = %+v, %+v, %v", c, svc, ok)
	}
	for _, bad := range []string{
		`{"name":"S","services":[{"name":"A","components":[{"name":"X","category":"BOSS"}]}]}`,
		`{"name":"S","services":[{"name":"A","components":[{"name":"X","category":"MASTER"}]},{"name":"A"}]}`,
		`{"name":"S","services":[{"name":"A","requires":["B"]}]}`,
		`{"name":"S","services":[],"role_command_order":{"Y-START":["X-START"]}}`,
		`{"name":"S","servces":[]}`,
	} {
		if _, err := LoadStack(strings.NewReader(bad)); err == nil {
			t.Errorf("LoadStack(%s) accepted a bad stack", bad)
		}
	}
}
