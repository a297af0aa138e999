"""Who reads which story, decided from memberships alone."""

from mango.lib.access import story_scope


def test_an_administrator_reads_everything():
    scope = story_scope([(None, "administrator")])
    assert scope.everything and scope.can_read(7, False, False)


def test_a_superuser_reads_everything_without_memberships():
    assert story_scope([], is_superuser=True).everything


def test_a_network_researcher_reads_research_stories_anywhere_only():
    scope = story_scope([(None, "researcher")])
    assert scope.can_read(1, True, False)
    assert scope.can_read(None, True, False)
    assert not scope.can_read(1, False, True)


def test_an_organisation_researcher_reads_research_stories_of_that_organisation():
    scope = story_scope([(1, "researcher")])
    assert scope.can_read(1, True, False)
    assert not scope.can_read(2, True, False)


def test_a_manager_reads_shared_stories_of_their_organisation_only():
    scope = story_scope([(1, "manager")])
    assert scope.can_read(1, False, True)
    assert not scope.can_read(1, True, False)
    assert not scope.can_read(2, False, True)
    assert scope.is_member_of(1) and not scope.is_member_of(2)


def test_a_team_member_reads_no_raw_stories_but_is_a_member():
    scope = story_scope([(1, "team_member")])
    assert not scope.reads_any
    assert not scope.can_read(1, True, True)
    assert scope.is_member_of(1)


def test_roles_in_two_organisations_add_up():
    scope = story_scope([(1, "manager"), (2, "researcher")])
    assert scope.can_read(1, False, True) and scope.can_read(2, True, False)
    assert not scope.can_read(2, False, True)


def test_no_memberships_read_nothing():
    scope = story_scope([])
    assert not scope.reads_any and not scope.is_member_of(1)


def test_a_network_coordinator_sees_the_programme_but_reads_no_story():
    scope = story_scope([(None, "network_coordinator")])
    assert scope.coordinates_network
    assert not scope.reads_any
    assert not scope.can_read(7, consent_research=True, consent_sharing=True)
    assert scope.is_member_of(7)  # a network-wide member: a forbidden page, not a missing one
    assert not story_scope([(7, "manager")]).coordinates_network
