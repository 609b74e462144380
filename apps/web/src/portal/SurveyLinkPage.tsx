import type { Survey } from '@serviceloop/contracts';
import { useQuery } from '@tanstack/react-query';
import { Spin } from 'antd';
import { Navigate, useParams } from 'react-router';
import { get } from '../lib/api';

/** The link in the survey e-mail: the survey lives on its ticket's page. */
export default function SurveyLinkPage() {
  const { id = '' } = useParams();
  const survey = useQuery({ queryKey: ['survey', id], queryFn: () => get<Survey>(`/surveys/${id}`) });
  if (!survey.data) return <Spin />;
  return <Navigate to={`/portal/tickets/${survey.data.ticketId}#survey`} replace />;
}
